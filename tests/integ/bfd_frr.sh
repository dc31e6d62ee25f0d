#!/usr/bin/env bash
# xr-test: serial
# BFD interop with FRR's bfdd, run standalone (no zebra, no watchfrr) in a
# network namespace with its own pid file and vty/control sockets, queried
# with vtysh --vty_socket. Our session (bfdd_test, 300 ms x 3) comes Up,
# goes Down with diag 1 when an nftables rule drops BFD in FRR's namespace,
# comes back when the rule goes; FRR moving to 500 ms moves our negotiated
# interval to 500 ms without a flap; our AdminDown is seen by FRR and
# undone. RFC 5880, RFC 5881.
set -u
cd "$(dirname "$0")/../.."
. tests/integ/bfd_common.bash

BFDD=/usr/lib/frr/bfdd
TMP=$(mktemp -d /tmp/xr-bfdfrr.XXXXXX)
US_PID= FRR_PID=
cleanup() {
	kill_pid "$US_PID"
	kill_pid "$FRR_PID"
	netns_cleanup
	rm -rf "$TMP"
}
trap cleanup EXIT

if [ ! -x "$BFDD" ] || ! command -v vtysh >/dev/null || ! id frr >/dev/null 2>&1; then
	tap_skip "BFD interop with FRR bfdd" "frr (bfdd, vtysh, user frr) is not installed"
	echo "1..$T_N"
	exit 0
fi

# bfdd drops privileges to frr:frr; its run directory must be its own.
RUN=$TMP/run
mkdir -p "$RUN" && chown frr:frr "$RUN"
cat >"$TMP/bfdd.conf" <<EOF
bfd
 peer 10.0.0.1 local-address 10.0.0.2
  receive-interval 300
  transmit-interval 300
  detect-multiplier 3
 exit
exit
EOF
chmod 644 "$TMP/bfdd.conf"
chmod 755 "$TMP"

vtysh_() { ip netns exec "$NS_B" vtysh --vty_socket "$RUN" -d bfdd "$@"; }
# A field of FRR's view of the peer 10.0.0.1.
frr_field() {
	vtysh_ -c 'show bfd peers json' 2>/dev/null | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    if p.get("peer") == "10.0.0.1":
        print(p.get(sys.argv[1], ""))' "$1"
}
frr_is() { [ "$(frr_field "$1")" = "$2" ]; }
# Drop BFD in both directions inside FRR's namespace.
cut() {
	ip netns exec "$NS_B" nft -f - <<EOF
table inet xrbfdcut {
	chain in { type filter hook input priority 0; udp dport 3784 drop; }
	chain out { type filter hook output priority 0; udp dport 3784 drop; }
}
EOF
}
uncut() { ip netns exec "$NS_B" nft delete table inet xrbfdcut; }

netns_setup xr-bfdfrr xrbfdf- || { tap 1 "namespaces"; echo "1..$T_N"; exit 1; }
ip netns exec "$NS_B" "$BFDD" -f "$TMP/bfdd.conf" -i "$RUN/bfdd.pid" \
    --vty_socket "$RUN" -z "$RUN/zserv.api" --bfdctl "$RUN/bfdd.ctl" \
    -P 0 --log stdout >"$TMP/bfdd.out" 2>&1 &
FRR_PID=$!
us_start

check "bfdd_test started and reports its session" \
    wait_until 5 test -n "$(ev srcPort start 2>/dev/null)"
check "our session comes Up against FRR bfdd" wait_until 15 us_reached up 1
check "FRR shows the peer up" wait_until 5 frr_is status up
check "negotiated tx interval is 300 ms" us_info_is txIntervalUs 300000
check "detection time is 3 x 300 ms" us_info_is detectTimeUs 900000
check "FRR sees our 300 ms / 300 ms / x3" test \
    "$(frr_field remote-transmit-interval)/$(frr_field remote-receive-interval)/$(frr_field remote-detect-multiplier)" \
    = 300/300/3

t0=$(now_us)
cut
if wait_until 2 us_reached down 1; then
	tap 0 "BFD dropped by nftables: our side goes Down within 2 s"
	echo "# detection: Down $(ms_since "$t0") ms after the cut," \
	    "$(python3 -c "print($(ev lastRxAgoUs state down) / 1000)") ms" \
	    "after the last packet from FRR"
else
	tap 1 "BFD dropped by nftables: our side goes Down within 2 s"
fi
check "diag is 1 (Control Detection Time Expired)" \
    test "$(ev diag state down)" = 1
check "FRR also declares the peer down" wait_until 3 frr_is status down

uncut
check "rule removed: our session is Up again" wait_until 15 us_reached up 2
check "FRR shows up again" wait_until 5 frr_is status up

vtysh_ -c 'configure terminal' -c 'bfd' \
    -c 'peer 10.0.0.1 local-address 10.0.0.2' \
    -c 'receive-interval 500' -c 'transmit-interval 500' >/dev/null
check "FRR asks for 500 ms: our tx interval becomes 500 ms" \
    wait_until 5 us_info_is txIntervalUs 500000
check "our detection time becomes 3 x 500 ms" us_info_is detectTimeUs 1500000
check "FRR shows receive/transmit 500 ms" \
    test "$(frr_field receive-interval)/$(frr_field transmit-interval)" = 500/500
check "no flap during the renegotiation" \
    test "$(ev_count state down)" = 1 -a "$(ev state)" = up

kill -USR2 "$US_PID"
check "our AdminDown: FRR takes the peer down" wait_until 5 frr_is status down
check "FRR reports the remote's diag as administratively down" \
    frr_is remote-diagnostic "administratively down"
kill -USR2 "$US_PID"
check "AdminDown undone: up on both sides" \
    wait_until 15 eval 'us_reached up 3 && frr_is status up'
check "every packet from FRR passed our checks (decode, TTL 255)" \
    test "$(us_info rxBadDecode)/$(ev rxBadTtl info)/$(ev rxDropped info)" = 0/0/0

echo "1..$T_N"
