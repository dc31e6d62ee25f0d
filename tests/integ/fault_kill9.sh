#!/usr/bin/env bash
# xr-test: serial
# Fault test (issue 7, item 6): kill -9 of an edge during a full-table
# load, then restart.
#
# xrouted (context "ft", kernel-table 1001) receives N prefixes from
# bgpblast; it is killed with SIGKILL while the load is in progress. The
# kernel must keep the routes already installed (protocol 200: traffic
# keeps flowing, as with graceful restart). A route of ours that no peer
# will announce again is planted in the table, as a dead daemon can leave
# one. After the restart the kept routes survive the first seconds (the
# restart hold), the session re-establishes, the load finishes, and then
# the kernel table holds exactly the prefixes of the RIB: same count as
# pfxRcd and `show route`, same set, the planted route gone.
#
# bgpblast also runs a sink session to xrouted in an empty context: the
# sink never receives the table, so bgpblast keeps its sessions up until
# its phase deadline instead of closing them when the load is done.
#
# Needs root (network namespaces). XR_BUILD points at the build directory.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

N=${FAULT_PREFIXES:-200000}
ND=xr-fk9-d
NH=xr-fk9-h
TBL=1001
PEER=10.253.1.1
STALE=192.0.2.0/24		# TEST-NET-1: never in bgpblast's set
BLAST=$XR_BUILD/bench/tools/bgpblast

if [ "$(id -u)" -ne 0 ]; then
	echo "ok 1 - fault_kill9 # SKIP needs root"
	exit 0
fi
xr_built || { not_ok "xrouted/xrctl not built in $XR_BUILD"; exit 1; }
if [ ! -x "$BLAST" ]; then
	skip "fault_kill9" "bgpblast not built ($BLAST)"; done_testing; exit
fi

d=$(mktemp -d /tmp/xr-fk9.XXXXXX); chmod 755 "$d"; on_exit_rm "$d"
ns_create $ND && ns_create $NH || { not_ok "namespaces"; exit 1; }
ns_link $ND fkd0 "10.253.0.1/16" $NH fkh0 "10.253.1.1/16 10.253.2.1/16" ||
	{ not_ok "veth pair"; exit 1; }
cat >"$d/xrouted.conf" <<EOF
router-id 10.253.0.1
as 65000
listen 10.253.0.1 port 179
context "ft" {
  kernel-table $TBL
  neighbor $PEER { remote-as 65001 local-address 10.253.0.1 passive }
}
context "void" {
  neighbor 10.253.2.1 { remote-as 65002 local-address 10.253.0.1 passive }
}
EOF

blast() {  # deadline-seconds: bgpblast in the background, sets BP
	ip netns exec $NH "$BLAST" -n "$N" -s 0.2 -c 20 -t "$1" \
	    sink,connect=10.253.0.1:179,local=10.253.2.1,peer-as=65000 \
	    inject,connect=10.253.0.1:179,local=$PEER,peer-as=65000 \
	    >>"$d/blast.out" 2>>"$d/blast.err" &
	BP=$!
	on_exit_kill $BP
}
ktable_count() {
	ip -n $ND -4 route show table $TBL proto 200 2>/dev/null | wc -l
}
pfxrcd() {
	xrctl_ "$XR_SOCK" show bgp summary 2>/dev/null |
	    json_get "d['contexts']['ft']['peers']['$PEER']['pfxRcd']"
}

# --- 1. load, kill -9 in the middle ------------------------------------------
start_xrouted $ND "$d" || { not_ok "xrouted starts"; diag "$(tail -5 "$d/xrouted.log")"; exit 1; }
XR1=$XR_PID
blast 60
# The whole load takes a few seconds and xrctl answers late while
# xrouted is busy, so time the kill from the injector's session coming up:
# the announcement starts after the 0.2 s settle.
injecting() { grep -q '(inject) established' "$d/blast.err"; }
wait_until 25 injecting || diag "bgpblast: $(tail -3 "$d/blast.err")"
sleep "${FAULT_KILL_AFTER:-0.8}"
kill -KILL $XR1
wait $XR1 2>/dev/null
kill_pids $BP
k1=$(ktable_count)
check "killed mid-load; kernel routes (proto 200) survive kill -9: $k1 of $N in table $TBL (> 0, < N)" \
	test "$k1" -gt 0 -a "$k1" -lt "$N"
ip -n $ND route add $STALE via $PEER table $TBL proto 200 metric 20
check_eq "a stale route of ours planted in table $TBL" \
	"$(ip -n $ND route show table $TBL proto 200 exact $STALE | awk '{print $1}')" "$STALE"

# --- 2. restart, reload, reconcile ------------------------------------------
start_xrouted $ND "$d" || { not_ok "xrouted restarts"; diag "$(tail -5 "$d/xrouted.log")"; exit 1; }
k2=$(ktable_count)
check "restart keeps the crash's routes for the restart hold ($k2 >= $k1)" \
	test "$k2" -ge "$k1"
blast 60
check "the session re-establishes after the restart" \
	wait_until 25 xr_established "$XR_SOCK" ft $PEER
full() { [ "$(pfxrcd)" = "$N" ]; }
check "the load finishes: pfxRcd $N" wait_until 30 full
# the restart hold (5 s from the start) ends, stale routes go
settled() {
	[ "$(ktable_count)" = "$N" ] &&
	    [ -z "$(ip -n $ND route show table $TBL proto 200 exact $STALE)" ]
}
wait_until 30 settled
check_eq "kernel table $TBL holds exactly N routes of protocol 200" "$(ktable_count)" "$N"
check_eq "the planted stale route is gone" \
	"$(ip -n $ND route show table $TBL proto 200 exact $STALE)" ""

# Same set in the kernel as in the RIB (show route), and as pfxRcd says.
# Text forms: a JSON rendering of 200k routes costs tens of seconds here.
"$XR_BUILD/xrctl" -s "$XR_SOCK" show route ft --limit 0 |
	awk '$1 ~ /^[0-9.]+\/[0-9]+$/ { print $1 }' | sort >"$d/rib.txt"
ip -n $ND -4 route show table $TBL proto 200 | awk '{ print $1 }' |
	sort >"$d/kernel.txt"
check_eq "RIB routes / kernel routes / only in RIB / only in kernel" \
	"$(wc -l <"$d/rib.txt") $(wc -l <"$d/kernel.txt") $(comm -23 "$d/rib.txt" "$d/kernel.txt" | wc -l) $(comm -13 "$d/rib.txt" "$d/kernel.txt" | wc -l)" \
	"$N $N 0 0"
check "the planted stale route is not in the RIB either" \
	test -z "$(grep -x "$STALE" "$d/rib.txt")"
check_eq "pfxRcd still $N" "$(pfxrcd)" "$N"
check "no crash: xrouted still running" kill -0 "$XR_PID"
diag "elapsed ${SECONDS}s"

done_testing
