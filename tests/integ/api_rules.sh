#!/usr/bin/env bash
# API rules over real HTTP (see api_rules.py): a real API role process, a
# real SQLite file, loopback only. Prints TAP.
set -u
cd "$(dirname "$0")"
exec timeout 300 python3 api_rules.py
