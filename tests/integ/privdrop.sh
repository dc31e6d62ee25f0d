#!/usr/bin/env bash
# Privilege drop and session protection (issue 7, items 4 and 5): xrouted
# started as root with -u nobody binds port 179 and its control socket,
# then runs as nobody with exactly CAP_NET_ADMIN and CAP_NET_BIND_SERVICE
# (CapEff 0x1400, bounding set the same); a BGP session to a second
# xrouted in another namespace still establishes and carries a route; a
# TCP connection from an address that is not a configured neighbour is
# closed by xrouted without a byte exchanged, and logged. Also the -g/-u
# command-line errors.
#
# Needs root (network namespaces). XR_BUILD points at the build directory.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

NA=xr-priv-a
NB=xr-priv-b

if [ "$(id -u)" -ne 0 ]; then
	echo "ok 1 - privdrop # SKIP needs root"
	exit 0
fi
xr_built || { not_ok "xrouted/xrctl not built in $XR_BUILD"; exit 1; }
id nobody >/dev/null 2>&1 || { skip "privdrop" "no user 'nobody'"; exit 0; }

T=$(mktemp -d /tmp/xr-priv.XXXXXX)
on_exit_rm "$T"
chmod 755 "$T"

# --- command line ---------------------------------------------------------
cat >"$T/min.conf" <<EOF
router-id 192.0.2.1
as 65001
control "$T/min.sock"
EOF
"$XR_BUILD/xrouted" -d -g nogroup -f "$T/min.conf" >"$T/g.out" 2>&1; rc=$?
check_eq "-g without -u is a usage error (exit 64)" \
	"$rc $(head -1 "$T/g.out")" "64 xrouted: -g nogroup needs -u USER"

# --- two daemons ------------------------------------------------------------
ns_create $NA && ns_create $NB || { not_ok "create namespaces"; exit 1; }
ns_link $NA pa0 "10.98.0.1/24" $NB pb0 "10.98.0.2/24 10.98.0.3/24" ||
	{ not_ok "veth pair"; exit 1; }

# (it binds before dropping, so this runs inside a namespace; the stop
# used to crash freeing the empty RIB)
ip netns exec $NA "$XR_BUILD/xrouted" -d -u xr-no-such-user -f "$T/min.conf" \
	-s "$T/u.sock" >"$T/u.out" 2>&1; rc=$?
check "-u with an unknown user stops at start (exit 71, names the user)" \
	test "$rc" = 71 -a -n "$(grep -- '-u xr-no-such-user: no such user' "$T/u.out")"

conf() {  # me peer myas peeras route
	cat <<EOF
router-id $1
as $3
listen $1
context c1 {
    route $5
    neighbor $2 { remote-as $4 hold-time 9 connect-retry 1 }
}
EOF
}
conf 10.98.0.1 10.98.0.2 65001 65002 10.61.0.0/16 >"$T/a.conf"
conf 10.98.0.2 10.98.0.1 65002 65001 10.62.0.0/16 >"$T/b.conf"
chmod 644 "$T"/*.conf

grp=$(id -gn nobody)
ip netns exec $NA "$XR_BUILD/xrouted" -d -u nobody -g "$grp" -f "$T/a.conf" \
	-s "$T/a.sock" >"$T/a.log" 2>&1 &
PA=$!
on_exit_kill $PA
ip netns exec $NB "$XR_BUILD/xrouted" -d -f "$T/b.conf" -s "$T/b.sock" \
	>"$T/b.log" 2>&1 &
PB=$!
on_exit_kill $PB
wait_until 10 xrctl_ "$T/a.sock" show bgp summary ||
	{ not_ok "xrouted -u nobody answers on its control socket"; diag "$(tail -5 "$T/a.log")"; exit 1; }
ok "xrouted -u nobody answers on its control socket"

status() { awk -v k="$1:" '$1 == k { print $2, $3, $4, $5 }' /proc/$PA/status; }
check_eq "process is xrouted" "$(awk '$1 == "Name:" {print $2}' /proc/$PA/status)" xrouted
uid=$(id -u nobody) gid=$(getent group "$grp" | cut -d: -f3)
check_eq "Uid: real, effective, saved, fs all nobody" "$(status Uid)" "$uid $uid $uid $uid"
check_eq "Gid: all of group $grp" "$(status Gid)" "$gid $gid $gid $gid"
check_eq "supplementary groups: only $grp" \
	"$(awk '$1 == "Groups:" {print $2, $3}' /proc/$PA/status | xargs)" "$gid"
check_eq "CapEff exactly CAP_NET_ADMIN|CAP_NET_BIND_SERVICE" \
	"$(awk '$1 == "CapEff:" {print $2}' /proc/$PA/status)" 0000000000001400
check_eq "CapPrm the same" "$(awk '$1 == "CapPrm:" {print $2}' /proc/$PA/status)" 0000000000001400
check_eq "CapBnd the same (no exec regains more)" \
	"$(awk '$1 == "CapBnd:" {print $2}' /proc/$PA/status)" 0000000000001400
check "log says 'running as user nobody' with capabilities 0x1400" \
	grep -q "running as user nobody, group $grp (uid $uid, gid $gid), capabilities 0x1400" "$T/a.log"
check_eq "control socket handed to nobody" "$(stat -c %U "$T/a.sock")" nobody
check_eq "port 179 still bound by the dropped daemon" \
	"$(in_ns $NA ss -Hltn 'sport = :179' | awk '{print $4}')" 10.98.0.1:179

check "BGP session establishes with the dropped daemon" \
	wait_until 20 xr_established "$T/a.sock" c1 10.98.0.2
pfx() { [ "$(xrctl_ "$1" show bgp summary | json_get "d['contexts']['c1']['peers']['$2']['pfxRcd']")" = 1 ]; }
check "A (nobody) received B's route" wait_until 10 pfx "$T/a.sock" 10.98.0.2
check "B received A's route" wait_until 10 pfx "$T/b.sock" 10.98.0.1
check_eq "B has 10.61.0.0/16 from A" \
	"$(xrctl_ "$T/b.sock" show route c1 10.61.0.0/16 | json_get "d['routes'][0]['network']")" 10.61.0.0/16

# --- a connection from an address that is not a configured neighbour -------
# The client sends nothing; xrouted must close the connection without
# sending a byte (no OPEN), promptly.
probe=$(in_ns $NB python3 - <<'EOF'
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("10.98.0.3", 0))
s.settimeout(3)
s.connect(("10.98.0.1", 179))
t0 = time.monotonic()
try:
    got = s.recv(4096)
    r = "eof" if got == b"" else "data %d" % len(got)
except ConnectionResetError:
    r = "reset"
except socket.timeout:
    r = "open"
print(r, "%.1f" % (time.monotonic() - t0))
EOF
)
case $probe in
eof\ 0.*|reset\ 0.*) ok "unconfigured 10.98.0.3: closed with no byte sent ($probe s)" ;;
*) not_ok "unconfigured 10.98.0.3: closed with no byte sent"; diag "got: $probe" ;;
esac
check "xrouted logs the refused connection with its address" \
	wait_until 3 grep -q "connection from 10.98.0.3 refused: not a configured neighbor" "$T/a.log"
check_eq "show bgp summary counts it: refusedConnections" \
	"$(xrctl_ "$T/a.sock" show bgp summary | json_get "d['refusedConnections']")" 1
check "the configured session is still Established" \
	xr_established "$T/a.sock" c1 10.98.0.2

done_testing
