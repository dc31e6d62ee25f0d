#!/usr/bin/env bash
# Traffic loss on a link cut, xrouted against BIRD as the edge, in one run.
#
#   bench/failover_bench.sh [--edges "xrouted bird"] [--bfd "300 50 off"]
#                           [--hold S] [--runs N]
#
# For each edge daemon and BFD setting the lab comes up (lab/lab.sh), the
# on-premises host sends a UDP probe every 5 ms to the VNet host over the
# primary path (the host's route is pinned to CE1 for the measurement),
# the primary link is cut after 3 s, and the receiver reports the packets
# lost and the longest gap. "off" means no BFD: detection by the BGP hold
# timer (180 s as on ExpressRoute unless --hold says otherwise).
#
# This is a benchmark, not a test: it prints numbers and asserts nothing.
# Results also go to bench/results/failover-<time>.json.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
XR_BUILD=${XR_BUILD:-$ROOT/build}
export XR_BUILD XR_LAB_DIR=/run/xroute-lab-bench
LAB="$ROOT/lab/lab.sh"
PROBE="$XR_BUILD/tests/tools/udpprobe"
edges="xrouted bird" bfds="300 50 off" hold=180 runs=1

while [ $# -gt 0 ]; do
	case $1 in
	--edges) edges=$2; shift 2 ;;
	--bfd) bfds=$2; shift 2 ;;
	--hold) hold=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	*) echo "usage: $0 [--edges LIST] [--bfd LIST] [--hold S] [--runs N]" >&2
	   exit 64 ;;
	esac
done
"$ROOT/scripts/deps.sh" || exit 1
make -s -C "$ROOT" -j"$(nproc)" || exit 1
ip netns list | grep -q '^xrlab-' && { echo "a lab is running; lab/lab.sh down first" >&2; exit 1; }
trap '"$LAB" down >/dev/null 2>&1' EXIT
mkdir -p "$ROOT/bench/results"
out="$ROOT/bench/results/failover-$(date +%Y%m%dT%H%M%S).json"
ns() { local x=$1; shift; ip netns exec "xrlab-$x" "$@"; }

measure() {  # edge bfd -> prints the probe JSON line
	local edge=$1 bfd=$2 secs
	"$LAB" up --edge "$edge" --bfd "$bfd" --hold "$hold" >/dev/null 2>&1 ||
	    { echo '{"error":"lab did not come up"}'; "$LAB" down >/dev/null; return; }
	ns host ip route replace 10.1.0.0/16 via 10.2.20.2
	# long enough to see the loss end: detection + reconvergence + margin
	# the receiver's quiet timeout must outlast the outage, or it would
	# stop at the cut and report nothing lost
	local quiet=3000
	if [ "$bfd" = off ]; then secs=$((hold + 20)); quiet=$(((hold + 15) * 1000))
	else secs=12; fi
	ip netns exec xrlab-vm "$PROBE" recv 47000 -t $((secs + 10)) -q $quiet >"$XR_LAB_DIR/probe.out" &
	local rpid=$!
	sleep 0.3
	ip netns exec xrlab-host "$PROBE" send 10.1.0.4 47000 -i 5 -t "$secs" >/dev/null &
	local spid=$!
	sleep 3
	"$LAB" fail primary >/dev/null
	wait "$spid" "$rpid"
	tail -1 "$XR_LAB_DIR/probe.out"
	"$LAB" down >/dev/null
}

printf '%-8s %-6s %-5s %10s %14s %8s\n' edge bfd hold lossMs longestGapMs vsBIRD
echo "[" >"$out"
first=1
declare -A bird_loss
for bfd in $bfds; do
	for edge in bird $edges; do
		[ "$edge" = bird ] && [ -n "${bird_loss[$bfd]:-}" ] && continue
		for r in $(seq "$runs"); do
			res=$(measure "$edge" "$bfd")
			loss=$(echo "$res" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("lossMs","-"))' 2>/dev/null || echo -)
			gap=$(echo "$res" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("longestGapMs","-"))' 2>/dev/null || echo -)
			[ "$edge" = bird ] && bird_loss[$bfd]=$loss
			ratio=-
			if [ "${bird_loss[$bfd]:-}" != "" ] && [ "$loss" != - ]; then
				ratio=$(python3 -c "b=float('${bird_loss[$bfd]}'); x=float('$loss'); print('%.2f' % (x/b) if b else '-')")
			fi
			printf '%-8s %-6s %-5s %10s %14s %8s\n' "$edge" "$bfd" "$hold" "$loss" "$gap" "$ratio"
			[ $first = 1 ] || echo "," >>"$out"
			first=0
			printf '{"edge":"%s","bfd":"%s","hold":%s,"run":%s,"probe":%s}' \
			    "$edge" "$bfd" "$hold" "$r" "${res:-null}" >>"$out"
		done
	done
done
echo "]" >>"$out"
echo "results: $out"
