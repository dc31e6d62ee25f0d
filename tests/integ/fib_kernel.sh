#!/usr/bin/env bash
# src/fib against the real kernel, driven by build/tests/tools/fib_tool
# inside a network namespace this test creates (the root namespace's
# tables are never touched):
#   - IPv4 and IPv6 routes in table 1001 with protocol 200, single and
#     2-way ECMP over two veth next hops, exact next hops checked with
#     `ip -j route`; replace and delete; a refused route is reported;
#   - `ip rule iif c1 lookup 1001` steers (checked with `ip route get
#     ... iif c1`), and the L4 hash policy spreads flows over both paths;
#   - resync: a hand-made route of protocol 200 goes, a static one stays;
#     a route deleted behind our back comes back; link down/up re-adds a
#     route the kernel flushed silently;
#   - kill -9 leaves routes in place; a restart with a restart hold adopts
#     them without a message, adds what is missing, drops what is stale;
#   - neighbour dump shows the pinged peer's MAC; link counters count;
#   - a clean exit removes everything of protocol 200.
# Prints TAP lines; cleans up on exit.
set -uo pipefail
B=${XR_BUILD:-$(cd "$(dirname "$0")/../.." && pwd)/build}
TOOL=$B/tests/tools/fib_tool
NA=xr-fibk-a
NB=xr-fibk-b
T=1001
LOG=$(mktemp /tmp/xr-fibk.XXXXXX)
n=0
FT_PID=
# The distribution's interpreter: a pyenv shim costs a second per start.
PY=$(command -v /usr/bin/python3 || command -v python3)

ok()   { n=$((n + 1)); echo "ok $n - $1"; }
nok()  { n=$((n + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && echo "#   $2"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
# is DESC GOT WANT
is() { if [ "$2" = "$3" ]; then ok "$1"; else nok "$1" "got '$2', want '$3'"; fi; }
# like DESC GOT REGEX
like() { if [[ $2 =~ $3 ]]; then ok "$1"; else nok "$1" "got '$2', want /$3/"; fi; }

cleanup() {
  [ -n "$FT_PID" ] && kill -9 "$FT_PID" 2>/dev/null
  ip netns del $NA 2>/dev/null
  ip netns del $NB 2>/dev/null
  rm -f "$LOG"
}
trap cleanup EXIT

A()  { ip -n $NA "$@"; }
Bn() { ip -n $NB "$@"; }
inA() { ip netns exec $NA "$@"; }

# --- the tool as a coprocess: one command, one reply line ------------------
start_tool() {
  coproc FT { exec ip netns exec $NA "$TOOL" "$@" 2>>"$LOG"; }
  read -r -t 10 REPLY <&"${FT[0]}" || REPLY=timeout
}
send() {
  echo "$*" >&"${FT[1]}"
  read -r -t 20 REPLY <&"${FT[0]}" || REPLY=timeout
}
crash_tool() {  # kill -9, reaped quietly
  local pid=$FT_PID
  { kill -9 "$pid"; wait "$pid"; } 2>/dev/null
  FT_PID=
}
stop_tool() {  # wait for the coprocess to exit
  local pid=$FT_PID
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  wait "$pid" 2>/dev/null
  FT_PID=
}

# route FAMILY PREFIX -> "proto=P metric=M nh=GW@DEV,GW@DEV" or "absent"
route() {
  A "$1" -N -j route show table $T | $PY -c '
import json, sys
want = sys.argv[1]
for r in json.load(sys.stdin):
    if r.get("dst") == want:
        hops = r.get("nexthops") or [r]
        nh = sorted("%s@%s" % (h.get("gateway", ""), h.get("dev", "")) for h in hops)
        print("proto=%s metric=%s nh=%s" % (r.get("protocol"), r.get("metric", 0), ",".join(nh)))
        break
else:
    print("absent")' "$2"
}
# wait_route FAMILY PREFIX REGEX: poll up to 5 s
wait_route() {
  local got
  for _ in $(seq 50); do
    got=$(route "$1" "$2"); [[ $got =~ $3 ]] && break; sleep 0.1
  done
  echo "$got"
}
# rget FAMILY ARGS...: "TABLE GATEWAY" of `ip route get`, or its error
rget() {
  local fam=$1 out; shift
  if out=$(A $fam -j route get "$@" 2>&1); then
    $PY -c 'import json,sys; r=json.loads(sys.argv[1])[0]; print(r.get("table"), r.get("gateway"))' "$out"
  else
    echo "$out"
  fi
}
rules() {  # our rules as "fam:iif:table:prio:proto" lines
  for fam in -4 -6; do
    A $fam -N -j rule | $PY -c '
import json, sys
for r in json.load(sys.stdin):
    if r.get("iif") == "c1":
        print("%s:%s:%s:%s:%s" % (sys.argv[1], r["iif"], r["table"], r["priority"], r.get("protocol")))' "$fam"
  done | tr '\n' ' '
}

# --- the namespaces ---------------------------------------------------------
# Leftovers of an interrupted run go first (the names are this test's).
ip netns del $NA 2>/dev/null; ip netns del $NB 2>/dev/null
if ! ip netns add $NA || ! ip netns add $NB; then
  skip "fib kernel tests" "cannot create network namespaces"; exit 0
fi
if ! A link add a1 type veth peer name b1 netns $NB 2>/dev/null; then
  skip "fib kernel tests" "kernel has no veth"; exit 0
fi
A link add a2 type veth peer name b2 netns $NB
A link add c1 type veth peer name c2 netns $NB
A addr add 10.0.1.1/24 dev a1; Bn addr add 10.0.1.2/24 dev b1
A addr add 10.0.2.1/24 dev a2; Bn addr add 10.0.2.2/24 dev b2
A addr add 10.0.3.1/24 dev c1; Bn addr add 10.0.3.2/24 dev c2
HAVE6=1
inA sysctl -qw net.ipv6.conf.all.keep_addr_on_down=1 2>/dev/null || true
if A -6 addr add fd00:1::1/64 dev a1 nodad 2>/dev/null; then
  A -6 addr add fd00:2::1/64 dev a2 nodad; A -6 addr add fd00:3::1/64 dev c1 nodad
  Bn -6 addr add fd00:1::2/64 dev b1 nodad; Bn -6 addr add fd00:2::2/64 dev b2 nodad
  inA sysctl -qw net.ipv6.conf.all.forwarding=1
else
  HAVE6=0
fi
for i in lo a1 a2 c1; do A link set $i up; done
for i in lo b1 b2 c2; do Bn link set $i up; done
inA sysctl -qw net.ipv4.ip_forward=1
ROOT_HP=$(cat /proc/sys/net/ipv4/fib_multipath_hash_policy 2>/dev/null || echo none)

# --- install ------------------------------------------------------------------
start_tool -s
like "tool starts in the namespace" "$REPLY" "^ok ready protocol=200$"
FT_PID_SAVED=$FT_PID
is "hash policy ipv4 = 1 in the namespace" "$(inA cat /proc/sys/net/ipv4/fib_multipath_hash_policy)" 1
if [ -e /proc/sys/net/ipv6/fib_multipath_hash_policy ]; then
  is "hash policy ipv6 = 1 in the namespace" "$(inA cat /proc/sys/net/ipv6/fib_multipath_hash_policy)" 1
else
  skip "hash policy ipv6" "kernel has no net.ipv6.fib_multipath_hash_policy"
fi
is "root namespace hash policy untouched" "$(cat /proc/sys/net/ipv4/fib_multipath_hash_policy 2>/dev/null || echo none)" "$ROOT_HP"

send route $T 198.51.100.0/24 10.0.1.2
send route $T 203.0.113.0/24 10.0.1.2 10.0.2.2
if [ $HAVE6 = 1 ]; then
  send route $T 2001:db8:1::/48 fd00:1::2
  send route $T 2001:db8:2::/48 fd00:1::2 fd00:2::2
fi
send sync
like "batch acknowledged without errors" "$REPLY" "^ok adds=[24] dels=0 errors=0$"
is "v4 single next hop" "$(route -4 198.51.100.0/24)" "proto=200 metric=20 nh=10.0.1.2@a1"
is "v4 2-way ECMP" "$(route -4 203.0.113.0/24)" "proto=200 metric=20 nh=10.0.1.2@a1,10.0.2.2@a2"
if [ $HAVE6 = 1 ]; then
  is "v6 single next hop" "$(route -6 2001:db8:1::/48)" "proto=200 metric=20 nh=fd00:1::2@a1"
  is "v6 2-way ECMP" "$(route -6 2001:db8:2::/48)" "proto=200 metric=20 nh=fd00:1::2@a1,fd00:2::2@a2"
else
  skip "v6 routes" "IPv6 is disabled in this kernel"
fi

# --- replace and delete -------------------------------------------------------
send route $T 198.51.100.0/24 10.0.1.2 10.0.2.2
send route $T 203.0.113.0/24 10.0.2.2
[ $HAVE6 = 1 ] && send route $T 2001:db8:2::/48 fd00:2::2
[ $HAVE6 = 1 ] && send del $T 2001:db8:1::/48
send sync
is "replace single -> ECMP" "$(route -4 198.51.100.0/24)" "proto=200 metric=20 nh=10.0.1.2@a1,10.0.2.2@a2"
is "replace ECMP -> single" "$(route -4 203.0.113.0/24)" "proto=200 metric=20 nh=10.0.2.2@a2"
if [ $HAVE6 = 1 ]; then
  is "v6 replace ECMP -> single" "$(route -6 2001:db8:2::/48)" "proto=200 metric=20 nh=fd00:2::2@a2"
  is "v6 delete" "$(route -6 2001:db8:1::/48)" "absent"
fi

# --- a refusal is reported for its route ---------------------------------------
send route $T 192.0.2.0/24 10.9.9.9
send sync
like "unreachable next hop refused" "$REPLY" "errors=1$"
send lasterr
like "refusal names the route and the reason" "$REPLY" "prefix=192.0.2.0/24 err=Network is unreachable"
send del $T 192.0.2.0/24
send sync

# --- rules: steering by ingress interface -------------------------------------
send rule $T c1 1000
send sync
if [ $HAVE6 = 1 ]; then want_rules="-4:c1:$T:1000:200 -6:c1:$T:1000:200 "; else want_rules="-4:c1:$T:1000:200 "; fi
is "ip rule iif c1 lookup $T (v4 and v6, proto 200)" "$(rules)" "$want_rules"
got=$(rget -4 198.51.100.7 from 10.0.3.2 iif c1)
like "packet from c1 uses table $T" "$got" "^$T 10\.0\.[12]\.2$"
got=$(A route get 198.51.100.7 from 10.0.1.2 iif a1 2>&1)
like "packet from a1 does not (main table has no route)" "$got" "unreachable|No route"
if [ $HAVE6 = 1 ]; then
  got=$(rget -6 2001:db8:2::1 from fd00:3::2 iif c1)
  is "v6 packet from c1 uses table $T" "$got" "$T fd00:2::2"
fi
# Per-flow hashing on L4 ports: 16 UDP flows between the same hosts
# must use both next hops (with policy 0 they would all take one).
gws=$(for sp in $(seq 1000 1015); do
  rget -4 198.51.100.7 from 10.0.3.2 iif c1 ipproto udp sport $sp dport 53
done | sed 's/^[0-9]* //' | sort -u | tr '\n' ' ')
is "flows spread over both ECMP next hops (L4 hash)" "$gws" "10.0.1.2 10.0.2.2 "

# --- resync and self-healing -------------------------------------------------
A route add 10.77.0.0/16 via 10.0.1.2 table $T proto 200 metric 20
A route add 10.78.0.0/16 via 10.0.1.2 table $T proto static
A route del 198.51.100.0/24 table $T
is "route deleted behind our back comes back" "$(wait_route -4 198.51.100.0/24 nh=)" "proto=200 metric=20 nh=10.0.1.2@a1,10.0.2.2@a2"
send overrun
is "overrun handler accepted" "$REPLY" "ok"
is "resync after overrun removes a hand-made proto 200 route" "$(wait_route -4 10.77.0.0/16 '^absent$')" "absent"
is "resync leaves a static route alone" "$(route -4 10.78.0.0/16)" "proto=4 metric=0 nh=10.0.1.2@a1"
send stats
like "resync and overrun counted" "$REPLY" "resyncs=2 overruns=1 "

# A link going down makes IPv4 drop single-path routes over it without a
# notification; when it comes back, the resync puts them back.
send events
A link set a2 down
got=; for _ in $(seq 50); do send events; got+=$REPLY; [[ $got =~ a2:down ]] && break; sleep 0.1; done
like "link down event reported" "$got" "a2:down"
A link set a2 up
got=; for _ in $(seq 50); do send events; got+=$REPLY; [[ $got =~ a2:up ]] && break; sleep 0.1; done
like "link up event reported" "$got" "a2:up"
is "route over a flapped link restored" "$(wait_route -4 203.0.113.0/24 nh=)" "proto=200 metric=20 nh=10.0.2.2@a2"

# --- neighbours and counters --------------------------------------------------
peer_mac=$(Bn -j link show b1 | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
send link a1
before=$REPLY
inA ping -c 3 -i 0.2 -s 100 -W 1 10.0.1.2 >/dev/null 2>&1
send neigh a1
like "neighbour dump shows the pinged peer's MAC" "$REPLY" "\| 10\.0\.1\.2 $peer_mac (reachable|stale|delay|probe) [0-9]+"
sys_lo=$(inA cat /sys/class/net/a1/statistics/tx_bytes)
send link a1
after=$REPLY
sys_hi=$(inA cat /sys/class/net/a1/statistics/tx_bytes)
txb0=$(sed -n 's/.* tx_bytes=\([0-9]*\).*/\1/p' <<<"$before")
txb1=$(sed -n 's/.* tx_bytes=\([0-9]*\).*/\1/p' <<<"$after")
txp0=$(sed -n 's/.* tx_packets=\([0-9]*\).*/\1/p' <<<"$before")
txp1=$(sed -n 's/.* tx_packets=\([0-9]*\).*/\1/p' <<<"$after")
like "link info: up, ifindex, mac" "$after" "^ok ifindex=[0-9]+ oper=up admin=1 mac=([0-9a-f]{2}:){5}[0-9a-f]{2} mtu=1500"
if [ -n "$txp1" ] && [ $((txp1 - txp0)) -ge 3 ] && [ $((txb1 - txb0)) -ge $((3 * 142)) ]; then
  ok "link counters count 3 pings (+$((txp1 - txp0)) packets, +$((txb1 - txb0)) bytes)"
else
  nok "link counters count 3 pings" "before: $before; after: $after"
fi
if [ -n "$txb1" ] && [ "$txb1" -ge "$sys_lo" ] && [ "$txb1" -le "$sys_hi" ]; then
  ok "tx_bytes agrees with sysfs ($sys_lo <= $txb1 <= $sys_hi)"
else
  nok "tx_bytes agrees with sysfs" "tool $txb1, sysfs $sys_lo..$sys_hi"
fi

# --- crash, then restart with a restart hold ----------------------------------
crash_tool
is "routes survive kill -9" "$(route -4 198.51.100.0/24)" "proto=200 metric=20 nh=10.0.1.2@a1,10.0.2.2@a2"
is "rules survive kill -9" "$(rules)" "$want_rules"
A route add 10.77.0.0/16 via 10.0.1.2 table $T proto 200 metric 20
A route del 203.0.113.0/24 table $T
start_tool -H 20000
send route $T 198.51.100.0/24 10.0.1.2 10.0.2.2
send route $T 203.0.113.0/24 10.0.2.2
[ $HAVE6 = 1 ] && send route $T 2001:db8:2::/48 fd00:2::2
send rule $T c1 1000
send sync
is "restart: only the missing route is sent" "$REPLY" "ok adds=1 dels=0 errors=0"
is "restart: missing route added" "$(route -4 203.0.113.0/24)" "proto=200 metric=20 nh=10.0.2.2@a2"
is "restart hold keeps a stale route" "$(route -4 10.77.0.0/16)" "proto=200 metric=20 nh=10.0.1.2@a1"
send ready
send sync
is "after the hold: the stale route is deleted, nothing else" "$REPLY" "ok adds=1 dels=1 errors=0"
is "stale route gone" "$(route -4 10.77.0.0/16)" "absent"
is "surviving route untouched" "$(route -4 198.51.100.0/24)" "proto=200 metric=20 nh=10.0.1.2@a1,10.0.2.2@a2"
send stats
like "no rule messages on restart" "$REPLY" "rule_msgs=0 "

# Restart without a hold: reconciled at once.
crash_tool
A route add 10.79.0.0/16 via 10.0.1.2 table $T proto 200 metric 20
start_tool
send route $T 198.51.100.0/24 10.0.1.2 10.0.2.2
send sync
is "restart without hold: stale route removed" "$(wait_route -4 10.79.0.0/16 '^absent$')" "absent"
is "restart without hold: wanted route present" "$(route -4 198.51.100.0/24)" "proto=200 metric=20 nh=10.0.1.2@a1,10.0.2.2@a2"

# --- clean exit flushes ----------------------------------------------------------
send route $T 203.0.113.0/24 10.0.2.2
send rule $T c1 1000
send sync
send quit
is "clean exit" "$REPLY" "ok bye"
stop_tool
left=$( (A -N route show table $T proto 200; A -6 -N route show table $T proto 200) | wc -l)
is "no proto 200 routes left after a clean exit" "$left" 0
is "no proto 200 rules left" "$(rules)" ""
is "static route still there" "$(route -4 10.78.0.0/16)" "proto=4 metric=0 nh=10.0.1.2@a1"
if grep -q "ERROR: AddressSanitizer\|runtime error" "$LOG"; then
  nok "sanitizers quiet" "$(grep -m3 'ERROR\|runtime error' "$LOG")"
else
  ok "sanitizers quiet"
fi
echo "1..$n"
