#!/usr/bin/env bash
# API request limits over real HTTP (see api_limits.py): body size (413)
# and per-token rate (429 + Retry-After). Prints TAP.
set -u
cd "$(dirname "$0")"
exec timeout 120 python3 api_limits.py
