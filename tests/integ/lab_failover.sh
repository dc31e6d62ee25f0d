#!/usr/bin/env bash
# xr-test: serial
# The lab end to end: bring up a circuit (two BIRD CEs, two xrouted edges,
# an xrouted gateway, a VNet host; built through the API), read the
# tenant's troubleshooting views (ARP, route table, summary) and run a
# connectivity test through the lab's API, send traffic through it, cut the
# primary link, check that traffic continues over the secondary path and
# that the primary session is down, restore, check that both BGP sessions
# and BFD come back, then tear down and check nothing is left behind.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
XR_BUILD=${XR_BUILD:-$ROOT/build}
export XR_BUILD XR_LAB_DIR=/run/xroute-lab-test
LAB="$ROOT/lab/lab.sh"
PROBE="$XR_BUILD/tests/tools/udpprobe"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); echo "not ok $n - $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else nok "$what"; fi; }
ns() { local x=$1; shift; ip netns exec "xrlab-$x" "$@"; }
quiet() { "$@" >/dev/null 2>&1; }

if ip netns list | grep -q '^xrlab-'; then
	echo "ok 1 - lab test # SKIP a lab is already running on this machine"
	exit 0
fi
cleanup() { "$LAB" down >/dev/null 2>&1; rm -rf "$XR_LAB_DIR"; }
trap cleanup EXIT

# state and prefix count of one xrouted neighbour
peer() {  # node neighbour field
	"$XR_BUILD/xrctl" -s "$XR_LAB_DIR/$1.sock" -j show bgp summary 2>/dev/null |
	    python3 -c '
import json, sys
d = json.load(sys.stdin)
for c in d.get("contexts", {}).values():
    p = c.get("peers", {}).get(sys.argv[1])
    if p is not None:
        print(p.get(sys.argv[2], "")); break' "$2" "$3"
}
wait_for() {  # seconds cmd...
	local deadline=$((SECONDS + $1)); shift
	while [ $SECONDS -lt $deadline ]; do "$@" && return 0; sleep 0.5; done
	return 1
}
established() { [ "$(peer "$1" "$2" state)" = Established ]; }
not_established() { ! established "$1" "$2"; }
bird_bfd_up() {
	birdc -s "$XR_LAB_DIR/$1.bird.sock" show bfd sessions 2>/dev/null |
	    grep -q '^172\.16\..* Up '
}

out=$("$LAB" up 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check "lab up exits 0" [ $rc -eq 0 ]
check "primary session Established (msee1 <- ce1 172.16.0.1)" established msee1 172.16.0.1
check "secondary session Established (msee2 <- ce2 172.16.0.5)" established msee2 172.16.0.5
# the gateway's neighbours: the edges' ends of the gateway links
GW1=$(tr ' ' '\n' <"$XR_LAB_DIR/settings" | sed -n 's/^gwpeers=//p' | cut -d, -f1)
check "gateway learns on-premises 10.2.20.0/25 from the edges ($GW1)" \
    test "$(peer gw "$GW1" pfxRcd)" -ge 1
# the circuit is in westus (regionCode 6 in data/catalogue.json)
COMM=$(python3 -c 'import json,sys; print(50000 + [r for r in json.load(open(sys.argv[1]))["regions"] if r["name"] == "westus"][0]["regionCode"])' "$ROOT/data/catalogue.json")
check "CE1 learned the VNet 10.1.0.0/16 with AS_PATH 12076 (65515 stripped)" \
    bash -c "birdc -s $XR_LAB_DIR/ce1.bird.sock show route all 10.1.0.0/16 | grep -q 'BGP.as_path: 12076\$'"
check "CE1 sees the regional community (12076,$COMM) of West US" \
    bash -c "birdc -s $XR_LAB_DIR/ce1.bird.sock show route all 10.1.0.0/16 | grep -q '(12076,$COMM)'"
check "BFD Up on CE1 and CE2" wait_for 10 bash -c \
    "birdc -s $XR_LAB_DIR/ce1.bird.sock show bfd sessions | grep -q ' Up ' && birdc -s $XR_LAB_DIR/ce2.bird.sock show bfd sessions | grep -q ' Up '"
check "ping on-premises -> VNet" quiet ns host ping -c3 -i0.2 -W1 10.1.0.4

# The troubleshooting views and the connectivity test, through the lab's
# API as a tenant would ask (the edges answer through the store).
if [ -f "$XR_LAB_DIR/api.env" ]; then
	. "$XR_LAB_DIR/api.env"
	X=("$XR_BUILD/xrctl" express-route)
	V=(-g lab-rg -n lab-circuit --peering-name AzurePrivatePeering)
	jq_() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
	mac=$(ip -n xrlab-ce1 link show msee | awk '/link\/ether/ {print $2}' |
	    sed -E 's/^(..):(..):(..):(..):(..):(..)$/\1\2.\3\4.\5\6/')
	got=$("${X[@]}" list-arp-tables "${V[@]}" --path primary -o json 2>&1 |
	    jq_ '[r["macAddress"] for r in d["value"] if r["ipAddress"] == "172.16.0.1"]')
	check "lab ARP table (primary): CE1 172.16.0.1 with its MAC $mac" \
	    test "$got" = "['$mac']"
	got=$("${X[@]}" list-route-tables "${V[@]}" --path secondary -o json 2>&1 |
	    jq_ '" ".join(r["nextHop"] + " " + r["path"] for r in d["value"] if r["network"] == "10.2.20.0/25")')
	check "lab route table (secondary): 10.2.20.0/25 via 172.16.0.5, Path 65010 ($got)" \
	    test "$got" = "172.16.0.5 65010"
	got=$("${X[@]}" list-route-tables-summary "${V[@]}" --path primary -o json 2>&1 |
	    jq_ '" ".join(str(r["neighbor"]) + " " + str(r["as"]) + " " + str(r["statePfxRcd"]) for r in d["value"] if r["neighbor"] == "172.16.0.1")')
	check "lab route summary (primary): 172.16.0.1 AS 65010, 1 prefix ($got)" \
	    test "$got" = "172.16.0.1 65010 1"
	# 6 pings host -> vm pinned to CE1: all received on the primary edge;
	# the replies come back over either edge (the gateway's ECMP), so the
	# sent counts of both edges add up to 6
	"${X[@]}" start-connectivity-test -g lab-rg -n lab-circuit \
	    --source-ip 10.2.20.10 --destination-ip 10.1.0.4 --protocol ICMP >/dev/null 2>&1
	ns host ip route replace 10.1.0.0/16 via 10.2.20.2
	quiet ns host ping -c6 -i0.1 -W1 10.1.0.4
	got=$("${X[@]}" show-connectivity-test -g lab-rg -n lab-circuit -o json 2>&1 |
	    jq_ '"%d %d" % (sum(r["received"] for r in d["value"] if r["path"] == "primary"), sum(r["sent"] for r in d["value"]))')
	check "lab connectivity test: 6 received on the primary edge, 6 sent back over both ($got)" \
	    test "$got" = "6 6"
	txt=$("${X[@]}" stop-connectivity-test -g lab-rg -n lab-circuit 2>&1)
	check "lab connectivity test: the seed's line for the primary edge" \
	    grep -qF "src 10.2.20.10 dst 10.1.0.4 (received): 6 matches" <<<"$txt"
	check "the counting table is gone from both edges after stop" \
	    bash -c "! ip netns exec xrlab-msee1 nft list table inet xroute_conntest && ! ip netns exec xrlab-msee2 nft list table inet xroute_conntest" 2>/dev/null	# what engineers add: metrics on every xrouted, an MRT dump bgpdump reads
	metric() {  # node regex -> the value of the first matching series
		ip netns exec "xrlab-$1" curl -s --max-time 5 http://127.0.0.1:9179/metrics |
		    grep -E "$2" | head -1 | awk '{print $NF}'
	}
	check "lab metrics: msee1 reports its CE session Established (bgp_peer_state 6)" \
	    test "$(metric msee1 '^bgp_peer_state\{peer="172\.16\.0\.1"')" = 6
	check "lab metrics: the gateway reports 1 route received from msee2" \
	    test "$(metric gw '^bgp_routes_received\{peer="10\.1\.255\.2".*ipv4')" = 1
	"$XR_BUILD/xrctl" -s "$XR_LAB_DIR/msee1.sock" dump mrt table "$XR_LAB_DIR/msee1.mrt" >/dev/null 2>&1
	got=$(bgpdump -m "$XR_LAB_DIR/msee1.mrt" 2>/dev/null | awk -F'|' '{print $6 " " $7}' | sort | tr '\n' ',')
	check "lab MRT dump of msee1 read by bgpdump: the on-premises and VNet routes ($got)" \
	    test "$got" = "10.1.0.0/16 65515,10.2.20.0/25 65010,"
fi

# a probe stream host -> vm across the cut, pinned to the primary CE so
# the cut hits it: CE1 must reroute over iBGP to CE2 and the secondary link
ns host ip route replace 10.1.0.0/16 via 10.2.20.2
ip netns exec xrlab-vm "$PROBE" recv 47000 -t 25 -q 1500 >"$XR_LAB_DIR/probe.out" 2>&1 &
rpid=$!
sleep 0.3
ip netns exec xrlab-host "$PROBE" send 10.1.0.4 47000 -i 5 -t 12 >/dev/null 2>&1 &
spid=$!
sleep 3
"$LAB" fail primary >/dev/null
check "primary session leaves Established after the cut" \
    wait_for 10 not_established msee1 172.16.0.1
check "secondary session stays Established" established msee2 172.16.0.5
wait "$spid"
wait "$rpid"
res=$(cat "$XR_LAB_DIR/probe.out" | tail -1)
echo "# probe across the primary cut: $res"
received=$(echo "$res" | python3 -c 'import json,sys; print(json.load(sys.stdin)["received"])' 2>/dev/null || echo 0)
lastseq=$(echo "$res" | python3 -c 'import json,sys; print(json.load(sys.stdin)["lastSeq"])' 2>/dev/null || echo 0)
# 12 s at 5 ms = 2400 packets; the cut happens at ~3 s
check "traffic continued on the secondary path (received $received, last seq $lastseq)" \
    test "$lastseq" -ge 2300 -a "$received" -ge 1500
check "ping on-premises -> VNet with the primary down" quiet ns host ping -c3 -i0.2 -W1 10.1.0.4

"$LAB" restore primary >/dev/null
check "primary session Established again after restore" \
    wait_for 30 established msee1 172.16.0.1
check "BFD Up again on CE1" wait_for 15 bird_bfd_up ce1
check "both sessions Established after restore" established msee2 172.16.0.5

# the failover drill, shaped like Azure's circuit link failover test
ft=$("$XR_BUILD/xrctl" failover-test start --link primary --category BgpDisconnect 2>&1)
check "failover-test start (BgpDisconnect on primary)" test $? -eq 0
sleep 1
ft=$("$LAB" failover-test stop 2>/dev/null)
ftv() { echo "$ft" | python3 -c "import json,sys; d=json.load(sys.stdin); print($1)" 2>/dev/null; }
check "failover-test stop: status Completed" test "$(ftv 'd["status"]')" = Completed
check "during the test the primary link's BGP is Disconnected" \
    test "$(ftv '[b["status"] for b in d["bgpStatus"]["duringSimulation"] if b["link"]=="primary"][0]')" = Disconnected
check "during the test the secondary link's BGP stays Connected" \
    test "$(ftv '[b["status"] for b in d["bgpStatus"]["duringSimulation"] if b["link"]=="secondary"][0]')" = Connected
check "routes before the test include the primary next hop 172.16.0.2" \
    test "$(ftv 'sum(r["nextHop"]=="172.16.0.2" for r in d["routes"]["beforeSimulation"])')" -ge 1
check "routes during the test have no primary next hop" \
    test "$(ftv 'sum(r["nextHop"]=="172.16.0.2" for r in d["routes"]["duringSimulation"])')" -eq 0
check "the drill measured the traffic (received $(ftv 'd["trafficLoss"]["received"]'))" \
    test "$(ftv 'd["trafficLoss"]["received"]')" -gt 100
check "primary Established again after the drill" wait_for 30 established msee1 172.16.0.1

"$LAB" down >/dev/null
check "lab down removes every namespace" bash -c "! ip netns list | grep -q '^xrlab-'"
left=0
for f in "$XR_LAB_DIR"/*.pid; do [ -f "$f" ] && left=1; done
check "lab down leaves no pid files (every daemon stopped)" test $left -eq 0
echo "1..$n"
