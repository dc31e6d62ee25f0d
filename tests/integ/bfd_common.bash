# Shared by bfd_bird.sh and bfd_frr.sh (sourced, not a test itself):
# two network namespaces joined by a veth pair, our BFD (bfdd_test) on
# side A at 10.0.0.1, the foreign implementation on side B at 10.0.0.2,
# TAP helpers, bounded waits and readers for bfdd_test's JSON events.

BFD_TOOL=${XR_BUILD:-$PWD/build}/tests/tools/bfdd_test
T_N=0

tap() {  # status description
	T_N=$((T_N + 1))
	if [ "$1" -eq 0 ]; then echo "ok $T_N - $2"; else echo "not ok $T_N - $2"; fi
}
tap_skip() { T_N=$((T_N + 1)); echo "ok $T_N - $1 # SKIP $2"; }
check() {  # description command...
	local d=$1; shift
	"$@"; tap $? "$d"
}

now_us() { date +%s%6N; }

# Retry a command until it succeeds or 'secs' pass.
wait_until() {  # secs command...
	local end=$(( $(now_us) + $1 * 1000000 )); shift
	until "$@"; do
		[ "$(now_us)" -ge "$end" ] && return 1
		sleep 0.1
	done
}

# netns_setup PREFIX: namespaces PREFIX-a/-b, veths with short names.
netns_setup() {
	NS_A=$1-a NS_B=$1-b
	VETH_A=${2}a VETH_B=${2}b
	ip netns add "$NS_A" && ip netns add "$NS_B" || return 1
	ip link add "$VETH_A" netns "$NS_A" type veth peer name "$VETH_B" \
	    netns "$NS_B" || return 1
	ip -n "$NS_A" addr add 10.0.0.1/30 dev "$VETH_A"
	ip -n "$NS_B" addr add 10.0.0.2/30 dev "$VETH_B"
	ip -n "$NS_A" addr add fd00:bfd::1/64 dev "$VETH_A" nodad
	ip -n "$NS_B" addr add fd00:bfd::2/64 dev "$VETH_B" nodad
	ip -n "$NS_A" link set lo up
	ip -n "$NS_B" link set lo up
	ip -n "$NS_A" link set "$VETH_A" up
	ip -n "$NS_B" link set "$VETH_B" up
}

netns_cleanup() {
	[ -n "${NS_A:-}" ] && ip netns del "$NS_A" 2>/dev/null
	[ -n "${NS_B:-}" ] && ip netns del "$NS_B" 2>/dev/null
	return 0
}

kill_pid() {  # pid: TERM, then KILL after 3 s
	local p=$1 i
	[ -n "$p" ] || return 0
	kill "$p" 2>/dev/null || return 0
	for i in $(seq 30); do
		kill -0 "$p" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -9 "$p" 2>/dev/null
	return 0
}

# Our side: 300 ms x 3 unless told otherwise.
us_start() {  # extra args...
	ip netns exec "$NS_A" "$BFD_TOOL" --local 10.0.0.1 --peer 10.0.0.2 \
	    --tx 300 --rx 300 --mult 3 --json-events "$@" \
	    >"$TMP/us.log" 2>"$TMP/us.err" &
	US_PID=$!
}

# ev FIELD [EVENT [NEW]]: FIELD of the last matching event line.
ev() {
	python3 - "$TMP/us.log" "$@" <<'EOF'
import json, sys
path, field = sys.argv[1], sys.argv[2]
event = sys.argv[3] if len(sys.argv) > 3 else None
new = sys.argv[4] if len(sys.argv) > 4 else None
last = None
for line in open(path):
    try:
        d = json.loads(line)
    except ValueError:
        continue
    if event and d.get("event") != event:
        continue
    if new and d.get("new") != new:
        continue
    last = d
if last is None or field not in last:
    sys.exit(1)
v = last[field]
print(str(v).lower() if isinstance(v, bool) else v)
EOF
}

# ev_count EVENT [NEW]: how many such lines.
ev_count() {
	python3 - "$TMP/us.log" "$@" <<'EOF'
import json, sys
path, event = sys.argv[1], sys.argv[2]
new = sys.argv[3] if len(sys.argv) > 3 else None
n = 0
for line in open(path):
    try:
        d = json.loads(line)
    except ValueError:
        continue
    if d.get("event") == event and (new is None or d.get("new") == new):
        n += 1
print(n)
EOF
}

# More info lines than $1 (re-read on every try of wait_until).
info_after() { [ "$(ev_count info)" -gt "$1" ]; }

# Fresh info line from our side (SIGUSR1), then read FIELD from it.
us_info() {  # field
	local before
	before=$(ev_count info)
	kill -USR1 "$US_PID" 2>/dev/null || return 1
	wait_until 3 info_after "$before" || return 1
	ev "$1" info
}

us_state_is() { [ "$(ev state)" = "$1" ]; }
# Transitions into NEW seen so far is at least N.
us_reached() { [ "$(ev_count state "$1")" -ge "$2" ]; }
us_info_is() { [ "$(us_info "$1")" = "$2" ]; }

# Milliseconds from a cut (epoch us) to the last transition into Down.
ms_since() {  # epoch_us
	python3 -c "print('%.1f' % ((int('$(ev epochUs state down)') - $1) / 1000))"
}
