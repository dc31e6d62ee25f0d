#!/usr/bin/env bash
# Two xrouted instances in two network namespaces peer eBGP over a veth
# pair: the session establishes (GTSM on by default for this directly
# connected eBGP), originated IPv4 and IPv6 routes flow both ways, an admin
# shutdown carries its RFC 8203 text to the other side, a wrong remote-as
# gives OPEN Error/Bad Peer AS (2/2), TCP-MD5 works when both passwords
# match and never establishes when they differ, a reload leaves unchanged
# sessions alone, and SIGTERM sends Cease/Administrative Shutdown.
#
# Needs root (network namespaces). XR_BUILD points at the build directory.
set -uo pipefail

B=${XR_BUILD:-$(cd "$(dirname "$0")/../.." && pwd)/build}
NA=xr-xrxr-$$-a	# the PID: concurrent runs (other checkouts) must not collide
NB=xr-xrxr-$$-b
T=$(mktemp -d /tmp/xr-xrxr.XXXXXX)
PIDA= PIDB=
n=0 failed=0

cleanup() {
	for p in $PIDA $PIDB; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	ip netns del $NA 2>/dev/null
	ip netns del $NB 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"
	for f in "$T"/a.log "$T"/b.log; do
		[ -f "$f" ] && tail -6 "$f" | sed "s|^|# $(basename "$f"): |"
	done
}
check() { local what=$1; shift; if "$@"; then ok "$what"; else nok "$what"; fi; }

xa() { ip netns exec $NA "$B/xrctl" -s "$T/a.sock" "$@"; }
xb() { ip netns exec $NB "$B/xrctl" -s "$T/b.sock" "$@"; }

# json FILTER: evaluate a Python expression on the JSON on stdin ('d').
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)" 2>/dev/null; }

# until_true SECONDS CMD...: poll until CMD succeeds or the deadline passes.
until_true() {
	local end=$((SECONDS + $1)); shift
	while [ $SECONDS -lt $end ]; do
		"$@" && return 0
		sleep 0.3
	done
	"$@"
}

state_of() {  # side(a|b) neighbor
	x$1 -j show neighbor "$2" | json 'd["neighbors"][0]["state"]'
}
is_state() { [ "$(state_of "$1" "$2")" = "$3" ]; }
both_up() { is_state a 10.99.0.2 Established && is_state b 10.99.0.1 Established; }

if [ "$(id -u)" -ne 0 ]; then
	echo "ok 1 - xr_xr # SKIP needs root"
	exit 0
fi
if [ ! -x "$B/xrouted" ] || [ ! -x "$B/xrctl" ]; then
	echo "not ok 1 - xrouted/xrctl not built in $B"
	exit 1
fi

# --- command line checks (no namespaces needed) ---------------------------
cat >"$T/bad.conf" <<'EOF'
router-id 192.0.2.1
as 65001
context c1 {
    neighbor 10.0.0.2 {
        remote-as 0
    }
}
EOF
out=$("$B/xrouted" -n -f "$T/bad.conf" 2>&1); rc=$?
check "xrouted -n on a bad file exits 78 with FILE:LINE: message" \
	test "$rc" = 78 -a "$out" = "$T/bad.conf:5: remote-as 0 is out of range (1-4294967295)"
"$B/xrouted" --bogus >/dev/null 2>&1; rc=$?
check "xrouted with a bad option exits 64" test "$rc" = 64
check "xrouted --version prints 'xrouted 0.1.0' first" \
	test "$("$B/xrouted" --version | head -1)" = "xrouted 0.1.0"
"$B/xrctl" -s "$T/none.sock" show bgp summary >/dev/null 2>&1; rc=$?
check "xrctl exits 69 when the daemon is unreachable" test "$rc" = 69
"$B/xrctl" show nonsense >/dev/null 2>&1; rc=$?
check "xrctl exits 64 on a usage error" test "$rc" = 64

# --- the lab ------------------------------------------------------------------
ip netns add $NA && ip netns add $NB || { nok "create namespaces"; exit 1; }
ip link add xrxr-a netns $NA type veth peer name xrxr-b netns $NB
ip -n $NA link set lo up
ip -n $NB link set lo up
ip -n $NA addr add 10.99.0.1/30 dev xrxr-a
ip -n $NB addr add 10.99.0.2/30 dev xrxr-b
ip -n $NA addr add fd00:99::1/64 dev xrxr-a nodad
ip -n $NB addr add fd00:99::2/64 dev xrxr-b nodad
ip -n $NA link set xrxr-a up
ip -n $NB link set xrxr-b up

conf() {  # side id as peer peeras route4 route6 [extra neighbor lines]
	cat <<EOF
router-id $2
as $3
listen $2
control "$T/$1.sock"
context c1 {
    route $6 { med 10 community $3:100 }
    route $7
    neighbor $4 {
        remote-as $5
        description "peer of $1"
        hold-time 9
        connect-retry 1
$8
    }
}
EOF
}
conf a 10.99.0.1 65001 10.99.0.2 65002 10.1.0.0/16 2001:db8:a::/48 "" >"$T/a.conf"
conf b 10.99.0.2 65002 10.99.0.1 65001 10.2.0.0/16 2001:db8:b::/48 "" >"$T/b.conf"
conf_ok() { "$B/xrouted" -n -f "$T/a.conf" && "$B/xrouted" -n -f "$T/b.conf"; }
check "both configurations check out (-n)" conf_ok

ip netns exec $NA "$B/xrouted" -d -f "$T/a.conf" >"$T/a.log" 2>&1 &
PIDA=$!
ip netns exec $NB "$B/xrouted" -d -f "$T/b.conf" >"$T/b.log" 2>&1 &
PIDB=$!

check "sessions reach Established on both sides" until_true 20 both_up

sum=$(xa -j show bgp summary)
check "summary JSON: schemaVersion, routerId, localAs, peer fields" test \
	"$(echo "$sum" | json 'd["schemaVersion"], d["routerId"], d["localAs"], {"adminDown", "description", "inq", "msgRcvd", "msgSent", "outq", "peerUptimeMsec", "pfxRcd", "pfxSnt", "remoteAs", "state", "upDown", "version"} <= set(d["contexts"]["c1"]["peers"]["10.99.0.2"]), "ribEntries" in d["contexts"]["c1"]')" = \
	"1 10.99.0.1 65001 True True"

pfx_ok() {  # side neighbor count
	[ "$(x$1 -j show bgp summary | json "d['contexts']['c1']['peers']['$2']['pfxRcd']")" = "$3" ]
}
check "A accepted 2 prefixes (v4 + v6) from B" until_true 10 pfx_ok a 10.99.0.2 2
check "B accepted 2 prefixes (v4 + v6) from A" until_true 10 pfx_ok b 10.99.0.1 2

route_of() {  # side prefix -> "nextHop path origin med communities best from"
	x$1 -j show route c1 "$2" | json '" ".join(str(x) for r in d["routes"][:1] for x in (r["network"], r["nextHop"], r["path"], r["origin"], r.get("med"), ",".join(r["communities"]), r["best"], r["from"]))'
}
check "B has A's 10.1.0.0/16: next hop A, path 65001, med, community" test \
	"$(route_of b 10.1.0.0/16)" = "10.1.0.0/16 10.99.0.1 65001 i 10 65001:100 True 10.99.0.1"
check "A has B's 10.2.0.0/16 via 10.99.0.2" test \
	"$(route_of a 10.2.0.0/16)" = "10.2.0.0/16 10.99.0.2 65002 i 10 65002:100 True 10.99.0.2"
v6=$(route_of b 2001:db8:a::/48)
check "IPv6 route 2001:db8:a::/48 reached B with an IPv6 next hop of A" \
	test "${v6%% *}" = "2001:db8:a::/48" -a "$(echo "$v6" | cut -d' ' -f2)" = "fd00:99::1"
check "IPv6 route 2001:db8:b::/48 reached A" \
	test "$(route_of a 2001:db8:b::/48 | cut -d' ' -f1,3)" = "2001:db8:b::/48 65002"
txt=$(xa show route c1)
check "text route table has the Azure columns and the origin code" \
	bash -c "grep -q '^Network *NextHop *LocPrf *Weight *Path' <<<'$txt' && grep -qE '^10\.2\.0\.0/16 +10\.99\.0\.2 .* 65002 i$' <<<'$txt'"
check "--limit 1 returns one route and says the reply was truncated" test \
	"$(xa -j show route c1 --limit 1 | json 'len(d["routes"]), d["truncated"], d["limit"]')" = "1 True 1"
txt=$(xa s b s)
check "abbreviated 's b s' prints the summary header" \
	bash -c "grep -q '^Neighbor *V *AS *MsgRcvd *MsgSent *InQ *OutQ *Up/Down *State/PfxRcd' <<<'$txt'"

nb=$(xa -j show neighbor 10.99.0.2)
check "neighbor detail: negotiated families, hold 9, keepalive 3, GTSM on" test \
	"$(echo "$nb" | json 'd["neighbors"][0]["capabilities"]["negotiated"]["multiprotocol"], d["neighbors"][0]["timers"]["holdTime"], d["neighbors"][0]["timers"]["keepalive"], d["neighbors"][0]["ttlSecurity"]')" = \
	"['ipv4-unicast', 'ipv6-unicast'] 9 3 True"

# --- soft clear: ROUTE-REFRESH, the session stays ---------------------------
rr_b() { xb -j show neighbor 10.99.0.1 | json 'd["neighbors"][0]["messagesReceived"]["routeRefreshes"]'; }
rr0=$(rr_b)
xa neighbor 10.99.0.2 clear soft >/dev/null
rr_grew() { [ "$(rr_b)" -gt "$rr0" ]; }
soft_ok() { until_true 5 rr_grew && is_state b 10.99.0.1 Established; }
check "soft clear sends ROUTE-REFRESH (B counts it) and keeps the session" soft_ok

# --- admin down carries the shutdown communication -------------------------
xa neighbor 10.99.0.2 down "maintenance window 42" >/dev/null
rcvd_msg() {
	[ "$(xb -j show neighbor 10.99.0.1 | json 'd["neighbors"][0]["lastErrorReceived"]["code"], d["neighbors"][0]["lastErrorReceived"]["subcode"], d["neighbors"][0]["lastErrorReceived"]["message"]')" = "$1" ]
}
check "admin down: B shows Cease/2 with the text 'maintenance window 42'" \
	until_true 5 rcvd_msg "6 2 maintenance window 42"
check "A stays Idle and admin down" test \
	"$(xa -j show neighbor 10.99.0.2 | json 'd["neighbors"][0]["state"], d["neighbors"][0]["adminDown"], d["neighbors"][0]["shutdownMessage"]')" = \
	"Idle True maintenance window 42"
sleep 2
check "B does not establish while A is down" test "$(state_of b 10.99.0.1)" != Established
xa neighbor 10.99.0.2 up >/dev/null
check "admin up: Established again" until_true 15 both_up

# --- wrong remote-as ----------------------------------------------------------
sed -i 's/remote-as 65001/remote-as 65009/' "$T/b.conf"
xb reload >/dev/null
a_got_badas() {
	[ "$(xa -j show neighbor 10.99.0.2 | json 'd["neighbors"][0]["lastErrorReceived"]["code"], d["neighbors"][0]["lastErrorReceived"]["subcode"]')" = "2 2" ]
}
check "wrong remote-as: A receives OPEN Error/Bad Peer AS (2/2)" until_true 20 a_got_badas
check "B recorded the 2/2 it sent" test \
	"$(xb -j show neighbor 10.99.0.1 | json 'd["neighbors"][0]["lastErrorSent"]["codeName"], d["neighbors"][0]["lastErrorSent"]["subcodeName"]')" = \
	"OPEN Message Error Bad Peer AS"
sed -i 's/remote-as 65009/remote-as 65001/' "$T/b.conf"
xb reload >/dev/null
xa neighbor 10.99.0.2 clear >/dev/null
check "fixed remote-as: Established again" until_true 20 both_up

# --- TCP-MD5 ---------------------------------------------------------------
flaps_a=$(xa -j show neighbor 10.99.0.2 | json 'd["neighbors"][0]["flaps"]')
sed -i 's/description "peer of a"/description "peer of a, edited"/' "$T/a.conf"
xa reload >/dev/null
sleep 1
check "reload with only a new description keeps the session" test \
	"$(xa -j show neighbor 10.99.0.2 | json 'd["neighbors"][0]["state"], d["neighbors"][0]["flaps"], d["neighbors"][0]["description"]')" = \
	"Established $flaps_a peer of a, edited"
if ip netns exec $NA python3 -c 'import socket,struct; s=socket.socket(); s.setsockopt(socket.IPPROTO_TCP, 14, struct.pack("=HH4s120xBBHI80s", 2, 0, socket.inet_aton("10.99.0.2"), 0, 0, 1, 0, b"x"))' 2>/dev/null; then
	for s in a b; do
		sed -i 's/^        connect-retry 1$/        connect-retry 1\n        password "s3cret-md5"/' "$T/$s.conf"
	done
	xa reload >/dev/null
	xb reload >/dev/null
	check "matching TCP-MD5 passwords: Established" until_true 20 both_up
	check "md5 shows on the neighbor" test \
		"$(xa -j show neighbor 10.99.0.2 | json 'd["neighbors"][0]["md5"]')" = True
	sed -i 's/s3cret-md5/not-the-same/' "$T/b.conf"
	xb reload >/dev/null
	never_up() {
		local end=$((SECONDS + 8))
		while [ $SECONDS -lt $end ]; do
			is_state a 10.99.0.2 Established && return 1
			is_state b 10.99.0.1 Established && return 1
			sleep 0.5
		done
	}
	check "mismatched TCP-MD5 passwords never establish (8 s)" never_up
	sed -i 's/not-the-same/s3cret-md5/' "$T/b.conf"
	xb reload >/dev/null
	xa neighbor 10.99.0.2 clear >/dev/null
	check "passwords match again: Established" until_true 20 both_up
else
	ok "TCP-MD5 # SKIP kernel without CONFIG_TCP_MD5SIG"
fi

# --- a removed neighbour gets Cease/Peer De-configured ----------------------
cp "$T/b.conf" "$T/b.conf.full"
python3 - "$T/b.conf" <<'PYEOF'
import re, sys
p = sys.argv[1]
s = open(p).read()
s = re.sub(r"    neighbor 10\.99\.0\.1 \{.*?\n    \}\n", "", s, flags=re.S)
open(p, "w").write(s)
PYEOF
xb reload >/dev/null
a_got_unconf() {
	[ "$(xa -j show neighbor 10.99.0.2 | json 'd["neighbors"][0]["lastErrorReceived"]["code"], d["neighbors"][0]["lastErrorReceived"]["subcode"]')" = "6 3" ]
}
check "neighbor removed from B's file: A receives Cease/Peer De-configured (6/3)" \
	until_true 5 a_got_unconf
xb show neighbor 10.99.0.1 >/dev/null 2>&1; rc=$?
check "B no longer knows the neighbor (xrctl exits 1)" test "$rc" = 1
cp "$T/b.conf.full" "$T/b.conf"
xb reload >/dev/null
xa neighbor 10.99.0.2 clear >/dev/null
check "neighbor configured again: Established" until_true 20 both_up

# --- clean shutdown ----------------------------------------------------------
kill -TERM "$PIDA"
wait "$PIDA" 2>/dev/null
rc=$?
PIDA=
check "SIGTERM: xrouted exits 0" test "$rc" = 0
check "B received Cease/Administrative Shutdown 'xrouted shutting down'" \
	until_true 5 rcvd_msg "6 2 xrouted shutting down"
check "control socket removed on exit" test ! -e "$T/a.sock"

echo "1..$n"
[ "$failed" -eq 0 ]
