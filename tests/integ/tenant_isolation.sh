#!/usr/bin/env bash
# A malformed UPDATE from one tenant never affects another tenant (issue 7):
# one edge with two routing contexts; tenant B is a real xrouted CE that
# announces 10.2.20.0/25; tenant A is a raw BGP speaker
# (tests/integ/bgpinject.py) that announces the same prefix and then sends
# one malformed UPDATE of each RFC 7606 class (treat-as-withdraw, attribute
# discard, session reset), a flood of 300 bad UPDATEs and one of 10,000
# valid prefixes. After every step
# tenant_isolation.py checks A's outcome and that B's session uptime, flap
# count, errors, RIB routes and kernel table did not move.
#
#   custa (raw, AS 65001) --ca-- edge (AS 12076) --cb-- custb (xrouted, AS 65002)
set -uo pipefail
. "$(dirname "$0")/lib.sh"
P=xrti
D=$(mktemp -d /tmp/xr-tiso.XXXXXX); [ -n "${KEEP:-}" ] || on_exit_rm "$D"; echo "# dir $D"

xr_built || { skip "tenant isolation" "xrouted not built"; done_testing; exit; }
for x in edge custa custb; do ns_create $P-$x || exit 1; done
ns_link $P-edge ca "172.16.0.2/30" $P-custa edge "172.16.0.1/30"
ns_link $P-edge cb "172.16.1.2/30" $P-custb edge "172.16.1.1/30"

cat >"$D/edge.conf" <<EOF
router-id 172.16.0.2
as 12076
listen 0.0.0.0 port 179
control "$D/edge.sock"
context "tenant-a" {
    kernel-table 1001
    ingress-interface ca
    neighbor 172.16.0.1 { remote-as 65001 local-address 172.16.0.2 hold-time 9 connect-retry 1 }
}
context "tenant-b" {
    kernel-table 1002
    ingress-interface cb
    neighbor 172.16.1.1 { remote-as 65002 local-address 172.16.1.2 hold-time 9 connect-retry 2 }
}
EOF
cat >"$D/custb.conf" <<EOF
router-id 172.16.1.1
as 65002
listen 0.0.0.0 port 179
control "$D/custb.sock"
context "c" {
    route 10.2.20.0/25
    neighbor 172.16.1.2 { remote-as 12076 local-address 172.16.1.1 hold-time 9 connect-retry 2 }
}
EOF
for x in edge custb; do
  ip netns exec $P-$x "$XR_BUILD/xrouted" -d -f "$D/$x.conf" \
    >"$D/$x.log" 2>&1 &
  on_exit_kill $!
  eval "PID_$x=$!"
done
wait_until 10 test -S "$D/edge.sock" || not_ok "edge control socket"

ip netns exec $P-custa python3 "$XR_ROOT/tests/integ/tenant_isolation.py" \
  "$XR_BUILD/xrctl" "$D/edge.sock" "$P-edge" >"$D/py.out" 2>&1
prc=$?
tap_relay "$D/py.out"
[ $prc -eq 0 ] || grep -q '^not ok' "$D/py.out" ||
  not_ok "tenant_isolation.py exited $prc without a verdict"

kill_pids "$PID_edge" "$PID_custb"
for x in edge custb; do
  if grep -qE 'Sanitizer|runtime error' "$D/$x.log"; then
    not_ok "$x log has a sanitizer report"; diag "$(grep -A20 -m1 -E 'Sanitizer|runtime error' "$D/$x.log")"
  else
    ok "$x log clean after stop"
  fi
done
done_testing
