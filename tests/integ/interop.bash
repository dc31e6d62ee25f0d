# Interop checks shared by interop_bird.sh, interop_frr.sh and
# interop_gobgp.sh (sourced, not a test itself). xrouted (AS 12076) runs in
# one namespace, the peer (AS 65001) in another, one veth between them with
# five address pairs, one BGP session each:
#
#   10.99.0.1 - 10.99.0.2     IPv4 session: routes both ways, withdrawal,
#                             route refresh
#   fd00:99::1 - fd00:99::2   IPv6 session (families ipv6)
#   10.99.1.1 - 10.99.1.2     the peer expects AS 65099 for xrouted: the
#                             peer sends OPEN error 2/2 Bad Peer AS
#   10.99.2.1 - 10.99.2.2     xrouted expects AS 65099 for the peer: xrouted
#                             sends 2/2
#   10.99.3.1 - 10.99.3.2     the peer speaks as 4-octet AS 4200000001
#
# GTSM (RFC 5082) is on for every session, on both sides (xrouted's default
# for directly connected eBGP, spelled out here): with GTSM on one side only
# the other side's TTL-1 packets are dropped and the session sits in
# OpenSent until the hold timer expires.
#
# The peer script defines, then calls interop_main NAME:
#   peer_available            0 if the daemon is installed
#   peer_start DIR            configure and start it in $NS_P; the peer
#                             originates 10.20.0.0/16 and 2001:db8:20::/48
#                             (MED 50, community 65001:100, large community
#                             65001:1:2) to xrouted and 10.30.0.0/16 on the
#                             4-octet session
#   peer_up SESSION           0 when the peer sees SESSION (v4 v6 as4)
#                             Established
#   peer_route PREFIX         "path=... comm=..." of PREFIX as learned from
#                             xrouted (10.99.0.1 / fd00:99::1)
#   peer_withdraw / peer_announce   remove / restore 10.20.0.0/16
#   peer_refresh_start        trigger a route refresh and print the counter
#   peer_refresh_count        that counter now (peer-side evidence)
#   peer_sent_bad_as          0 when the peer records sending 2/2 (badas)
#   peer_got_bad_as           0 when the peer records receiving a
#                             NOTIFICATION from xrouted (xrwrong)
#   peer_diag SESSION         (optional) print the peer's view of a session
#   PEER_REFRESH_BY           "peer" or "xrouted": who asks for the refresh

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

IO_CHECKS=(
  "IPv4 session Established, xrouted's view"
  "IPv4 session Established, peer's view"
  "IPv6 session Established, both views"
  "10.20.0.0/16 at xrouted with path, MED, community, large community"
  "2001:db8:20::/48 at xrouted with path, MED, community, large community"
  "10.10.0.0/16 at the peer with path 12076 and community 12076:50002"
  "2001:db8:10::/48 at the peer with path 12076 and community 12076:50002"
  "withdrawal of 10.20.0.0/16 reaches xrouted"
  "re-announcement of 10.20.0.0/16 reaches xrouted"
  "peer expects the wrong AS: xrouted receives 2/2 Bad Peer AS"
  "peer expects the wrong AS: the peer records sending it"
  "xrouted expects the wrong AS: xrouted sends 2/2 Bad Peer AS"
  "xrouted expects the wrong AS: the peer records receiving it"
  "route refresh answered, routes still present"
  "4-octet AS 4200000001: session Established, path 4200000001 at xrouted"
)

NS_X=
NS_P=
XR_CTX=c1

# xr_routes PREFIX: "path=... med=... comm=... large=..." per route to
# PREFIX in xrouted's Loc-RIB, one line each, sorted; FROM limits to one
# neighbour.
xr_routes() {
  xrctl_ "$XR_SOCK" show route "$XR_CTX" "$1" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
frm = sys.argv[2]
out = []
for r in d.get("routes", []):
    if r.get("network") != sys.argv[1] or (frm and r.get("from") != frm):
        continue
    out.append("path=%s med=%s comm=%s large=%s" % (r.get("path"),
        r.get("med"), ",".join(r.get("communities", [])),
        ",".join(r.get("largeCommunities", []))))
print("\n".join(sorted(out)))
' "$1" "${2:-}"
}

xr_has_route() { [ -n "$(xr_routes "$@")" ]; }
xr_no_route() { [ -z "$(xr_routes "$@")" ] && xrctl_ "$XR_SOCK" show bgp summary >/dev/null; }

# xr_nbr ADDR EXPR: evaluate EXPR on xrouted's neighbour detail 'n'.
xr_nbr() {
  xrctl_ "$XR_SOCK" show neighbor "$1" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
n = d
if isinstance(d, dict) and "neighbors" in d:
    n = [x for x in d["neighbors"] if x.get("address") == sys.argv[1]][0]
v = eval(sys.argv[2], {"n": n})
print(json.dumps(v) if isinstance(v, (dict, list, tuple, bool)) or v is None
      else v)
' "$1" "$2" 2>/dev/null
}

xr_err_is() {  # ADDR Sent|Received CODE SUBCODE
  [ "$(xr_nbr "$1" "(n['lastError$2'] or {}).get('code'), (n['lastError$2'] or {}).get('subcode')")" = "[$3, $4]" ]
}

xr_write_conf() {
  local dir=$1
  cat >"$dir/xrouted.conf" <<EOF
router-id 192.0.2.1
as 12076
listen 10.99.0.1 port 179
listen 10.99.1.1 port 179
listen 10.99.2.1 port 179
listen 10.99.3.1 port 179
listen fd00:99::1 port 179
control "$dir/xrouted.sock"
context "$XR_CTX" {
    route 10.10.0.0/16 { community 12076:50002 }
    route 2001:db8:10::/48 { community 12076:50002 }
    neighbor 10.99.0.2 { remote-as 65001 hold-time 30 connect-retry 2 local-address 10.99.0.1 ttl-security yes }
    neighbor fd00:99::2 { remote-as 65001 connect-retry 2 local-address fd00:99::1 families ipv6 ttl-security yes }
    neighbor 10.99.1.2 { remote-as 65001 connect-retry 2 local-address 10.99.1.1 ttl-security yes }
    neighbor 10.99.2.2 { remote-as 65099 connect-retry 2 local-address 10.99.2.1 ttl-security yes }
    neighbor 10.99.3.2 { remote-as 4200000001 connect-retry 2 local-address 10.99.3.1 ttl-security yes }
}
EOF
}

io_skip_all() {  # reason
  local c
  for c in "${IO_CHECKS[@]}"; do skip "$IO_PEER: $c" "$1"; done
  done_testing
  exit 0
}

io_setup() {
  local dir=$1
  NS_X=xr-io$IO_PEER-x NS_P=xr-io$IO_PEER-p
  ns_create "$NS_X" && ns_create "$NS_P" || return 1
  ns_link "$NS_X" iox0 \
    "10.99.0.1/24 10.99.1.1/24 10.99.2.1/24 10.99.3.1/24 fd00:99::1/64" \
    "$NS_P" iop0 \
    "10.99.0.2/24 10.99.1.2/24 10.99.2.2/24 10.99.3.2/24 fd00:99::2/64"
}

# io_eq N WHAT GOT WANT: check_eq with the check's fixed name.
io_eq() { check_eq "$IO_PEER: ${IO_CHECKS[$1]}" "$2" "$3"; }
io_ok() {  # N status
  if [ "$2" -eq 0 ]; then ok "$IO_PEER: ${IO_CHECKS[$1]}"
  else not_ok "$IO_PEER: ${IO_CHECKS[$1]}"; return 1; fi
}

# Waits are long while things work; once the basic session has failed,
# the remaining checks wait 2 s each so a broken build fails in bounded
# time instead of adding up every deadline.
IO_HEALTHY=1
io_wait() {
  local t=$1; shift
  [ "$IO_HEALTHY" = 1 ] || t=2
  wait_until "$t" "$@"
}

io_sessions() {
  wait_until 40 xr_established "$XR_SOCK" "$XR_CTX" 10.99.0.2 || IO_HEALTHY=0
  io_eq 0 "$(xr_peer_state "$XR_SOCK" "$XR_CTX" 10.99.0.2)" Established
  io_wait 10 peer_up v4; io_ok 1 $?
  io_wait 30 xr_established "$XR_SOCK" "$XR_CTX" fd00:99::2 && io_wait 10 peer_up v6
  io_eq 2 "$(xr_peer_state "$XR_SOCK" "$XR_CTX" fd00:99::2)/$(peer_up v6 && echo up)" \
    Established/up
}

io_routes() {
  local want="path=65001 med=50 comm=65001:100 large=65001:1:2"
  io_wait 20 xr_has_route 10.20.0.0/16 10.99.0.2
  io_eq 3 "$(xr_routes 10.20.0.0/16 10.99.0.2)" "$want"
  io_wait 20 xr_has_route 2001:db8:20::/48 fd00:99::2
  io_eq 4 "$(xr_routes 2001:db8:20::/48 fd00:99::2)" "$want"
  want="path=12076 comm=12076:50002"
  io_wait 20 peer_has_route 10.10.0.0/16
  io_eq 5 "$(peer_route 10.10.0.0/16)" "$want"
  io_wait 20 peer_has_route 2001:db8:10::/48
  io_eq 6 "$(peer_route 2001:db8:10::/48)" "$want"
}

io_withdraw() {
  local before=absent after=present
  xr_has_route 10.20.0.0/16 10.99.0.2 && before=present
  peer_withdraw
  io_wait 20 xr_no_route 10.20.0.0/16 && after=absent
  io_eq 7 "$before/$after" present/absent
  peer_announce
  io_wait 20 xr_has_route 10.20.0.0/16 10.99.0.2; io_ok 8 $?
}

io_bad_as() {
  io_wait 30 xr_err_is 10.99.1.2 Received 2 2
  io_eq 9 "$(xr_nbr 10.99.1.2 "n['lastErrorReceived']['code'], n['lastErrorReceived']['subcode']")" "[2, 2]"
  io_wait 10 peer_sent_bad_as; io_ok 10 $? || peer_diag badas
  io_wait 30 xr_err_is 10.99.2.2 Sent 2 2
  io_eq 11 "$(xr_nbr 10.99.2.2 "n['lastErrorSent']['code'], n['lastErrorSent']['subcode']")" "[2, 2]"
  io_wait 10 peer_got_bad_as; io_ok 12 $? || peer_diag xrwrong
}

# Route refresh (RFC 2918): the asking side's request must reach the
# other side and be answered with UPDATEs, without losing routes.
io_refresh() {
  local before after rr0 rr1 up0 up1 rrk=messagesReceived upk=messagesSent
  if [ "$PEER_REFRESH_BY" = xrouted ]; then
    rrk=messagesSent upk=messagesReceived
  fi
  rr0=$(xr_nbr 10.99.0.2 "n['$rrk']['routeRefreshes']")
  up0=$(xr_nbr 10.99.0.2 "n['$upk']['updates']")
  before=$(peer_refresh_start)
  io_wait 15 peer_refresh_moved "$before"
  after=$(peer_refresh_count)
  io_wait 10 xr_counter_above "$upk" updates "$up0"
  rr1=$(xr_nbr 10.99.0.2 "n['$rrk']['routeRefreshes']")
  up1=$(xr_nbr 10.99.0.2 "n['$upk']['updates']")
  diag "refresh asked by $PEER_REFRESH_BY: peer counter $before -> $after," \
    "xrouted $rrk.routeRefreshes $rr0 -> $rr1, $upk.updates $up0 -> $up1"
  io_eq 13 "$([ "${rr1:-0}" -gt "${rr0:-0}" ] && echo rr)$([ "${up1:-0}" -gt "${up0:-0}" ] && echo +upd)$([ "$after" != "$before" ] && echo +peer)/$(peer_route 10.10.0.0/16)/$(xr_routes 10.20.0.0/16 10.99.0.2 | cut -d' ' -f1)" \
    "rr+upd+peer/path=12076 comm=12076:50002/path=65001"
}

xr_counter_above() {  # messagesX key value
  [ "$(xr_nbr 10.99.0.2 "n['$1']['$2']")" -gt "${3:-0}" ]
}

declare -F peer_diag >/dev/null || peer_diag() { :; }

peer_refresh_moved() { [ "$(peer_refresh_count)" != "$1" ]; }
peer_has_route() { [ -n "$(peer_route "$1")" ]; }

io_as4() {
  io_wait 30 xr_established "$XR_SOCK" "$XR_CTX" 10.99.3.2
  io_wait 20 xr_has_route 10.30.0.0/16 10.99.3.2
  io_eq 14 "$(xr_peer_state "$XR_SOCK" "$XR_CTX" 10.99.3.2)/$(xr_routes 10.30.0.0/16 10.99.3.2 | cut -d' ' -f1)" \
    "Established/path=4200000001"
}

interop_main() {
  IO_PEER=$1
  if ! xr_built; then io_skip_all "xrouted not built"; fi
  if ! peer_available; then io_skip_all "$IO_PEER is not installed"; fi
  local dir
  dir=$(mktemp -d "/tmp/xr-io$IO_PEER.XXXXXX"); chmod 755 "$dir"
  on_exit_rm "$dir"
  mkdir -p "$dir/x" "$dir/p"; chmod 755 "$dir/x" "$dir/p"
  io_setup || { not_ok "$IO_PEER: namespaces and veth"; done_testing; exit 1; }
  xr_write_conf "$dir/x"
  if ! start_xrouted "$NS_X" "$dir/x"; then
    not_ok "$IO_PEER: xrouted starts and answers xrctl"
    diag "$(tail -20 "$dir/x/xrouted.log")"; done_testing; exit 1
  fi
  if ! peer_start "$dir/p"; then
    not_ok "$IO_PEER: $IO_PEER starts"
    local f
    for f in "$dir"/p/*.log "$dir"/p/*.out; do
      [ -f "$f" ] && diag "$f:" "$(tail -10 "$f")"
    done
    done_testing; exit 1
  fi
  io_sessions
  io_routes
  io_withdraw
  io_bad_as
  io_refresh
  io_as4
  if [ "$T_FAIL" -gt 0 ]; then
    diag "xrouted log (tail):" "$(tail -30 "$dir/x/xrouted.log")"
  fi
  done_testing
}
