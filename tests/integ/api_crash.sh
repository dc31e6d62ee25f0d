#!/usr/bin/env bash
# kill -9 the API role during a write loop, restart, check that every
# acknowledged write is present (see api_crash.py). Loopback only.
set -u
cd "$(dirname "$0")"
exec timeout 300 python3 api_crash.py
