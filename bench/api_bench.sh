#!/usr/bin/env bash
# API benchmark: 1,000 circuits with two peerings each over HTTP against
# the API role on a fresh SQLite file (WAL, synchronous=FULL: one fsync per
# write), loopback only. Prints throughput and p50/p99 latency.
#
#   bench/api_bench.sh [CIRCUITS] [CONCURRENCY]      (needs `make` first)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
C=${2:-4}
BUILD=${XR_BUILD:-$PWD/build}
SRV=$BUILD/tests/tools/api_server
if [ -x "$BUILD/xrouted" ] && "$BUILD/xrouted" --role api --help 2>/dev/null \
    | grep -q -- --db; then
  SRV="$BUILD/xrouted --role api"
fi
TMP=$(mktemp -d /tmp/xr-api-bench.XXXXXX)
PID=
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
TOKEN=bench-admin-$RANDOM$RANDOM
XR_ADMIN_TOKEN=$TOKEN $SRV --db "$TMP/xroute.db" --listen 127.0.0.1:0 \
  --port-file "$TMP/port" --data data >"$TMP/server.log" 2>&1 &
PID=$!
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.05; done
[ -s "$TMP/port" ] || { cat "$TMP/server.log"; exit 1; }
echo "# xroute API benchmark, $(nproc) cores, $(uname -r), store on $(df -T "$TMP" | awk 'NR==2{print $2}')"
if [ -x "$BUILD/bench/tools/api_load" ] && [ "${XR_BENCH_PY:-0}" = 0 ]; then
  "$BUILD/bench/tools/api_load" "$(cat "$TMP/port")" "$TOKEN" "$N" "$C"
else
  python3 bench/tools/api_load.py --port "$(cat "$TMP/port")" \
    --admin-token "$TOKEN" --circuits "$N" --concurrency "$C"
fi
echo "# store: $(du -h "$TMP/xroute.db" | cut -f1) after the run"
