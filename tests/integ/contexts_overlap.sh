#!/usr/bin/env bash
# Two tenants with the same address space on one edge stay apart: each
# routing context has its own kernel table and an ip rule by ingress
# interface, so a packet from tenant A is routed with A's routes only.
#
#   custa (AS 65001, 10.2.20.0/25) --ca-- edge --cb-- custb (AS 65002, 10.2.20.0/25)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
XR_BUILD=${XR_BUILD:-$ROOT/build}
P=xrov
D=$(mktemp -d /tmp/xr-overlap.XXXXXX)
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); echo "not ok $n - $*"; }
check() { local w=$1; shift; if "$@"; then ok "$w"; else nok "$w"; fi; }
ns() { local x=$1; shift; ip netns exec "$P-$x" "$@"; }
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	sleep 0.3
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	for x in edge custa custb; do ip netns del "$P-$x" 2>/dev/null; done
	rm -rf "$D"
}
trap cleanup EXIT

for x in edge custa custb; do ip netns add "$P-$x"; ns $x ip link set lo up; done
ns edge sysctl -qw net.ipv4.ip_forward=1
ip link add ca netns $P-edge type veth peer name edge netns $P-custa
ip link add cb netns $P-edge type veth peer name edge netns $P-custb
ns edge ip link set ca up; ns edge ip link set cb up
ns custa ip link set edge up; ns custb ip link set edge up
ns edge ip addr add 172.16.0.2/30 dev ca
ns edge ip addr add 172.16.1.2/30 dev cb
ns custa ip addr add 172.16.0.1/30 dev edge
ns custb ip addr add 172.16.1.1/30 dev edge

cat >"$D/edge.conf" <<EOF
router-id 172.16.0.2
as 12076
listen 0.0.0.0 port 179
control "$D/edge.sock"
context "tenant-a" {
    kernel-table 1001
    ingress-interface ca
    neighbor 172.16.0.1 { remote-as 65001 local-address 172.16.0.2 hold-time 9 connect-retry 2 }
}
context "tenant-b" {
    kernel-table 1002
    ingress-interface cb
    neighbor 172.16.1.1 { remote-as 65002 local-address 172.16.1.2 hold-time 9 connect-retry 2 }
}
EOF
for c in a b; do
	[ $c = a ] && { la=172.16.0.1 pa=172.16.0.2 as=65001; } || { la=172.16.1.1 pa=172.16.1.2 as=65002; }
	cat >"$D/cust$c.conf" <<EOF
router-id $la
as $as
listen 0.0.0.0 port 179
control "$D/cust$c.sock"
context "c" {
    route 10.2.20.0/25
    neighbor $pa { remote-as 12076 local-address $la hold-time 9 connect-retry 2 }
}
EOF
done
for x in edge custa custb; do
	ip netns exec "$P-$x" "$XR_BUILD/xrouted" -d -f "$D/$x.conf" >"$D/$x.log" 2>&1 &
	PIDS+=($!)
done

established() {
	"$XR_BUILD/xrctl" -s "$D/edge.sock" -j show bgp summary 2>/dev/null |
	    python3 -c '
import json, sys
d = json.load(sys.stdin)["contexts"]
ok = all(p["state"] == "Established" and p["pfxRcd"] == 1
         for c in d.values() for p in c["peers"].values())
sys.exit(0 if ok and len(d) == 2 else 1)' 2>/dev/null
}
wait_for() {
	local deadline=$((SECONDS + $1)); shift
	while [ $SECONDS -lt $deadline ]; do "$@" && return 0; sleep 0.5; done
	return 1
}
nh_of() {  # table -> the next hop of 10.2.20.0/25 in it
	ns edge ip -j route show table "$1" 10.2.20.0/25 proto 200 2>/dev/null |
	    python3 -c '
import json, sys
t = sys.stdin.read().strip()
r = json.loads(t) if t else []
print(r[0].get("gateway", "") if r else "")'
}
route_present() { [ -n "$(nh_of "$1")" ]; }

check "both tenants Established, one prefix each" wait_for 30 established
check "table 1001 installed" wait_for 10 route_present 1001
check "table 1002 installed" wait_for 10 route_present 1002
check "tenant A's 10.2.20.0/25 in table 1001 via 172.16.0.1 (got $(nh_of 1001))" \
    test "$(nh_of 1001)" = 172.16.0.1
check "tenant B's 10.2.20.0/25 in table 1002 via 172.16.1.1 (got $(nh_of 1002))" \
    test "$(nh_of 1002)" = 172.16.1.1
check "the main table has neither (contexts never leak)" \
    test -z "$(ns edge ip route show 10.2.20.0/25)"
check "ip rule iif ca lookup 1001" \
    bash -c "ip netns exec $P-edge ip rule show | grep -q 'iif ca lookup 1001'"
check "ip rule iif cb lookup 1002" \
    bash -c "ip netns exec $P-edge ip rule show | grep -q 'iif cb lookup 1002'"
check "a packet arriving from tenant A is routed to tenant A" \
    bash -c "ip netns exec $P-edge ip route get 10.2.20.5 from 172.16.0.1 iif ca | grep -q 'via 172.16.0.1'"
check "a packet arriving from tenant B is routed to tenant B" \
    bash -c "ip netns exec $P-edge ip route get 10.2.20.5 from 172.16.1.1 iif cb | grep -q 'via 172.16.1.1'"
check "tenant A's route table shows only its own route" \
    test "$("$XR_BUILD/xrctl" -s "$D/edge.sock" -j show route tenant-a | python3 -c 'import json,sys; print([r["nextHop"] for r in json.load(sys.stdin)["routes"]])')" = "['172.16.0.1']"

# withdraw A's route: only table 1001 changes
kill "${PIDS[1]}"
check "tenant A gone: its route leaves table 1001" \
    wait_for 20 bash -c "[ -z \"\$(ip netns exec $P-edge ip route show table 1001 10.2.20.0/25)\" ]"
check "tenant B's route is untouched" test "$(nh_of 1002)" = 172.16.1.1

# a clean exit removes our routes and rules
kill "${PIDS[0]}"
wait "${PIDS[0]}" 2>/dev/null
check "clean shutdown: no protocol 200 routes left" \
    test -z "$(ns edge ip route show table all proto 200)"
check "clean shutdown: our ip rules are gone" \
    bash -c "! ip netns exec $P-edge ip rule show | grep -q 'lookup 100[12]'"
echo "1..$n"
