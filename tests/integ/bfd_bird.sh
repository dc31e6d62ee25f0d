#!/usr/bin/env bash
# xr-test: serial
# BFD interop with BIRD 2 (protocol bfd) over a veth pair between two
# network namespaces: our session (bfdd_test, 300 ms x 3) comes Up against
# BIRD, goes Down with diag 1 (Control Detection Time Expired) when the
# link is cut and Up again when it is restored; BIRD asking for 500 ms
# through a Poll Sequence moves our negotiated interval to 500 ms without a
# flap; our AdminDown is seen by BIRD and undone. RFC 5880, RFC 5881.
set -u
cd "$(dirname "$0")/../.."
. tests/integ/bfd_common.bash

TMP=$(mktemp -d /tmp/xr-bfdbird.XXXXXX)
US_PID= US6_PID= BIRD_PID=
cleanup() {
	kill_pid "$US_PID"
	kill_pid "$US6_PID"
	kill_pid "$BIRD_PID"
	netns_cleanup
	rm -rf "$TMP"
}
trap cleanup EXIT

if ! command -v bird >/dev/null || ! command -v birdc >/dev/null; then
	tap_skip "BFD interop with BIRD" "bird2 is not installed"
	echo "1..$T_N"
	exit 0
fi

bird_conf() {  # interval_ms
	cat >"$TMP/bird.conf" <<EOF
router id 10.0.0.2;
log "$TMP/bird.log" all;
protocol device { scan time 1; }
protocol bfd {
	interface "*" {
		min rx interval $1 ms;
		min tx interval $1 ms;
		multiplier 3;
	};
	neighbor 10.0.0.1;
	neighbor fd00:bfd::1;
}
EOF
}

birdc_() { birdc -s "$TMP/bird.ctl" "$@"; }
# Field N of BIRD's line for our address in "show bfd sessions":
# IP address, Interface, State, Since, Interval, Timeout.
bird_field() {  # field [address]
	birdc_ show bfd sessions |
	    awk -v f="$1" -v a="${2:-10.0.0.1}" '$1 == a { print $f }'
}
bird_state_is() { [ "$(bird_field 3 "${2:-}")" = "$1" ]; }
us6_up() { grep -q '"new":"up"' "$TMP/us6.log"; }
bird_interval_is() { [ "$(bird_field 5)" = "$1" ]; }

netns_setup xr-bfdbird xrbfdb- || { tap 1 "namespaces"; echo "1..$T_N"; exit 1; }
bird_conf 300
ip netns exec "$NS_B" bird -f -c "$TMP/bird.conf" -s "$TMP/bird.ctl" \
    -P "$TMP/bird.pid" >"$TMP/bird.out" 2>&1 &
BIRD_PID=$!
us_start
# The same over IPv6 (the spec leaves ExpressRoute's IPv6 BFD unconfirmed).
ip netns exec "$NS_A" "$BFD_TOOL" --local fd00:bfd::1 --peer fd00:bfd::2 \
    --json-events >"$TMP/us6.log" 2>"$TMP/us6.err" &
US6_PID=$!

check "bfdd_test started and reports its session" \
    wait_until 5 test -n "$(ev srcPort start 2>/dev/null)"
port=$(ev srcPort start)
check "source port $port is in 49152-65535 (RFC 5881 section 4)" \
    test "${port:-0}" -ge 49152 -a "${port:-0}" -le 65535

check "our session comes Up against BIRD" wait_until 15 us_reached up 1
check "BIRD shows the session Up" wait_until 5 bird_state_is Up
check "negotiated tx interval is 300 ms" us_info_is txIntervalUs 300000
check "detection time is 3 x 300 ms" us_info_is detectTimeUs 900000
check "BIRD agrees: interval 0.300, timeout 0.900" \
    test "$(bird_field 5)/$(bird_field 6)" = 0.300/0.900
check "IPv6: our session to fd00:bfd::2 comes Up" wait_until 10 us6_up
check "IPv6: BIRD shows fd00:bfd::1 Up" \
    wait_until 5 bird_state_is Up fd00:bfd::1
kill_pid "$US6_PID"

# Cut the link on BIRD's side: nothing arrives any more in either
# direction, so our side must give up after 3 x 300 ms.
t0=$(now_us)
ip -n "$NS_B" link set "$VETH_B" down
if wait_until 2 us_reached down 1; then
	tap 0 "link cut: our side goes Down within 2 s"
	echo "# detection: Down $(ms_since "$t0") ms after the cut," \
	    "$(python3 -c "print($(ev lastRxAgoUs state down) / 1000)") ms" \
	    "after the last packet from BIRD"
else
	tap 1 "link cut: our side goes Down within 2 s"
fi
check "diag is 1 (Control Detection Time Expired)" \
    test "$(ev diag state down)" = 1
check "the negotiated rate falls back to 1 s while Down (RFC 5880 6.8.3)" \
    us_info_is desMinTxUs 1000000

ip -n "$NS_B" link set "$VETH_B" up
check "link restored: our session is Up again" wait_until 15 us_reached up 2
check "BIRD shows Up again" wait_until 5 bird_state_is Up

# BIRD asks for 500 ms; its Poll Sequence must move us to 500 ms.
bird_conf 500
birdc_ configure >/dev/null
check "BIRD asks for 500 ms: our tx interval becomes 500 ms" \
    wait_until 5 us_info_is txIntervalUs 500000
check "our detection time becomes 3 x 500 ms" us_info_is detectTimeUs 1500000
check "BIRD shows interval 0.500" wait_until 5 bird_interval_is 0.500
check "no flap during the renegotiation" \
    test "$(ev_count state down)" = 1 -a "$(ev state)" = up

# RFC 5880 6.8.16: our AdminDown reaches BIRD; undoing it brings it back.
kill -USR2 "$US_PID"
check "our AdminDown: BIRD takes the session Down" \
    wait_until 5 bird_state_is Down
kill -USR2 "$US_PID"
check "AdminDown undone: Up on both sides" \
    wait_until 15 eval 'us_reached up 3 && bird_state_is Up'
check "every packet from BIRD passed our checks (decode, TTL 255)" \
    test "$(us_info rxBadDecode)/$(ev rxBadTtl info)/$(ev rxDropped info)" = 0/0/0

echo "1..$T_N"
