#!/usr/bin/env bash
# MRT and BMP export checked with outside tools. xrouted peers with BIRD
# (IPv4 and IPv6 sessions) that announces a known set of routes; then:
#   - `xrctl dump mrt table F` writes TABLE_DUMP_V2 (RFC 6396) that
#     `bgpdump -m` reads back with exactly the prefixes, next hops and AS
#     paths of `xrctl -j show route`;
#   - the configured `mrt messages` file (BGP4MP_MESSAGE_AS4 and
#     STATE_CHANGE_AS4) holds the OPENs and UPDATEs bgpdump decodes;
#   - pmacct's pmbmpd, the BMP collector (RFC 7854), logs our Initiation,
#     the Peer Up of the BIRD neighbour, its announced prefixes, a
#     withdrawal, and a Peer Down.
# Needs root (network namespaces), bird, bgpdump and pmbmpd.
. "$(dirname "$0")/lib.sh"

NS_X=xr-mrtbmp-x NS_B=xr-mrtbmp-b NS_C=xr-mrtbmp-c
if [ "$(id -u)" -ne 0 ]; then skip "mrt_bmp" "needs root"; done_testing; exit 0; fi
for c in bird birdc bgpdump pmbmpd; do
  command -v $c >/dev/null || { skip "mrt_bmp" "$c not installed (scripts/deps.sh)"
    done_testing; exit 0; }
done
xr_built || { not_ok "xrouted/xrctl not built in $XR_BUILD"; done_testing; exit 1; }

D=$(mktemp -d /tmp/xr-mrtbmp.XXXXXX)
[ -n "${KEEP:-}" ] || on_exit_rm "$D"
chmod 755 "$D"
ns_create $NS_X; ns_create $NS_B; ns_create $NS_C
ns_link $NS_X xb0 "10.97.0.1/24 fd00:97::1/64" $NS_B bx0 "10.97.0.2/24 fd00:97::2/64"
ns_link $NS_X xc0 "10.97.1.1/24" $NS_C cx0 "10.97.1.2/24"

# --- the BMP collector ---------------------------------------------------
start_pmbmpd() {  # JSON log file
  ip netns exec $NS_C pmbmpd -L 10.97.1.2 -l 11019 -o "$1" \
    >>"$D/pmbmpd.out" 2>&1 &
  PMBMPD_PID=$!
  on_exit_kill $PMBMPD_PID
}
start_pmbmpd "$D/bmp.json"

# --- BIRD: three IPv4 and two IPv6 routes, one with a longer path, and
# 2500 more so that dumps and resyncs take several pages -------------------
{ echo "protocol static many { ipv4;"
  for i in $(seq 0 2499); do echo "route 10.$((100 + i / 256)).$((i % 256)).0/24 blackhole;"; done
  echo "}"; } >"$D/many.conf"
cat >"$D/bird.conf" <<EOF
router id 10.97.0.2;
log "$D/bird.log" all;
protocol device { }
protocol static s4 { ipv4;
  route 10.20.0.0/16 blackhole; route 10.21.1.0/24 blackhole;
  route 10.22.0.0/22 blackhole; }
protocol static s6 { ipv6;
  route 2001:db8:20::/48 blackhole; route 2001:db8:21::/48 blackhole; }
protocol static gone { ipv4; route 10.23.0.0/24 blackhole; }
include "$D/many.conf";
filter xrout {
  if net = 10.21.1.0/24 then { bgp_path.prepend(65001); bgp_path.prepend(64512); }
  if net = 10.22.0.0/22 then bgp_community.add((65001,7));
  accept;
}
template bgp xr { connect retry time 2; error wait time 1,4; }
protocol bgp xr4 from xr { local 10.97.0.2 as 65001; neighbor 10.97.0.1 as 12076;
  ipv4 { import all; export filter xrout; }; }
protocol bgp xr6 from xr { local fd00:97::2 as 65001; neighbor fd00:97::1 as 12076;
  ipv6 { import all; export filter xrout; }; }
EOF
start_bird $NS_B "$D" || not_ok "bird starts"

# --- xrouted: a local route, both neighbours, a message dump, BMP ---------
cat >"$D/xrouted.conf" <<EOF
router-id 10.97.0.1
as 12076
listen 10.97.0.1
listen fd00:97::1
mrt messages "$D/updates.mrt"
bmp collector 10.97.1.2 port 11019 stats-interval 2
route 10.50.0.0/24
neighbor 10.97.0.2 { remote-as 65001 ttl-security no }
neighbor fd00:97::2 { remote-as 65001 ttl-security no }
EOF
start_xrouted $NS_X "$D" || not_ok "xrouted starts"

up4() { xr_established "$XR_SOCK" default 10.97.0.2; }
up6() { xr_established "$XR_SOCK" default fd00:97::2; }
wait_until 20 up4 && ok "IPv4 session with BIRD up" || not_ok "IPv4 session with BIRD up"
wait_until 5 up6 && ok "IPv6 session with BIRD up" || not_ok "IPv6 session with BIRD up"
nroutes() { xrctl_ "$XR_SOCK" show route | json_get "len(d['routes'])"; }
have_all() { [ "$(nroutes)" = 2507 ]; }
wait_until 30 have_all
check_eq "Loc-RIB holds BIRD's 2506 routes and our own" "$(nroutes)" 2507

# --- TABLE_DUMP_V2 against bgpdump ------------------------------------------
# "PREFIX|NEXTHOP|ASPATH" from both sides, sorted.
xr_rows() {
  xrctl_ "$XR_SOCK" show route | python3 -c '
import json, sys
for r in json.load(sys.stdin)["routes"]:
    path = r["path"]
    nh = r["nextHop"] if not r["local"] else "0.0.0.0"
    print("%s|%s|%s" % (r["network"], nh, path))' | sort
}
# bgpdump -m: TABLE_DUMP2|ts|B|peer ip|peer as|prefix|as path|origin|next hop|...
mrt_rows() {
  bgpdump -m "$1" 2>/dev/null | awk -F'|' '$1 == "TABLE_DUMP2" {
    nh = $9; if ($4 == "0.0.0.0") nh = "0.0.0.0"; print $6 "|" nh "|" $7 }' | sort
}
out=$(xrctl_ "$XR_SOCK" dump mrt table "$D/rib.mrt")
check_eq "dump reports 2507 prefixes" "$(json_get "d['prefixes']" <<<"$out")" 2507
wait_until 10 test -f "$D/rib.mrt" && ok "dump file renamed into place" ||
  not_ok "dump file renamed into place"
check "no temporary file left" test ! -e "$D/rib.mrt.tmp"
want=$(xr_rows) got=$(mrt_rows "$D/rib.mrt")
if [ "$got" == "$want" ] && [ "$(wc -l <<<"$got")" = 2507 ]; then
  ok "bgpdump reads the same 2507 prefixes, next hops and AS paths as show route"
else
  not_ok "bgpdump reads the same prefixes, next hops and AS paths as show route"
fi
diag "$(grep -v '^10\.1[01][0-9]\.' <<<"$got")"
check_eq "bgpdump sees the prepended path" \
  "$(grep '^10.21.1.0/24' <<<"$got")" "10.21.1.0/24|10.97.0.2|65001 64512 65001"
comm=$(bgpdump -m "$D/rib.mrt" 2>/dev/null | awk -F'|' '$6 == "10.22.0.0/22" { print $12 }')
check_eq "community survives the dump" "$comm" "65001:7"
view=$(bgpdump -v "$D/rib.mrt" 2>/dev/null | grep -c "TABLE_DUMP_V2")
[ "$view" -ge 2507 ] && ok "bgpdump -v parses TABLE_DUMP_V2 ($view lines)" ||
  not_ok "bgpdump -v parses TABLE_DUMP_V2"
out=$("$XR_BUILD/xrctl" -s "$XR_SOCK" dump mrt table relative.mrt 2>&1)
[[ $out == *"must be an absolute path"* ]] && ok "a relative FILE is refused" ||
  { not_ok "a relative FILE is refused"; diag "$out"; }

# --- BMP: pmbmpd's JSON log ---------------------------------------------------
bmp_has() { grep -q "$1" "$D/bmp.json" 2>/dev/null; }
bmp_peer_up() { grep '"bmp_msg_type": "peer_up"' "$D/bmp.json" 2>/dev/null |
  grep -q '"peer_ip": "10.97.0.2"'; }
bmp_pfx() { grep '"bmp_msg_type": "route_monitor"' "$D/bmp.json" 2>/dev/null |
  grep '"log_type": "update"' | grep -q "\"ip_prefix\": \"$1\""; }
wait_until 20 bmp_has '"bmp_msg_type": "init"' && ok "pmbmpd logged our Initiation" ||
  not_ok "pmbmpd logged our Initiation"
wait_until 10 bmp_peer_up && ok "pmbmpd logged Peer Up for 10.97.0.2" ||
  not_ok "pmbmpd logged Peer Up for 10.97.0.2"
pu=$(grep '"bmp_msg_type": "peer_up"' "$D/bmp.json" | grep '"peer_ip": "10.97.0.2"' | head -1)
check_eq "Peer Up: local address, remote port, BGP id, AS" \
  "$(json_get "(d['local_ip'], d['remote_port'], d['bgp_id'], d['peer_asn'], d['is_post'])" <<<"$pu")" \
  '["10.97.0.1", 179, "10.97.0.2", 65001, 0]'
for p in 10.20.0.0/16 10.21.1.0/24 10.22.0.0/22 10.23.0.0/24 2001:db8:20::/48; do
  wait_until 10 bmp_pfx $p && ok "pmbmpd logged route monitoring for $p" ||
    not_ok "pmbmpd logged route monitoring for $p"
done
birdc -s "$BIRD_SOCK" disable gone >/dev/null
bmp_wd() { grep '"log_type": "withdraw"' "$D/bmp.json" 2>/dev/null |
  grep -q '"ip_prefix": "10.23.0.0/24"'; }
wait_until 15 bmp_wd && ok "pmbmpd logged the withdrawal of 10.23.0.0/24" ||
  not_ok "pmbmpd logged the withdrawal of 10.23.0.0/24"
wait_until 10 bmp_has '"bmp_msg_type": "stats"' && ok "pmbmpd logged a Stats Report" ||
  not_ok "pmbmpd logged a Stats Report"
# A new collector connection gets everything again (resync): Peer Up and
# the Adj-RIB-In as Route Monitoring, whatever happened before.
kill_pids $PMBMPD_PID
start_pmbmpd "$D/bmp2.json"
resynced() { grep '"bmp_msg_type": "peer_up"' "$D/bmp2.json" 2>/dev/null |
  grep -q '"peer_ip": "fd00:97::2"' &&
  grep '"log_type": "update"' "$D/bmp2.json" | grep -q '"ip_prefix": "10.22.0.0/22"' &&
  grep '"log_type": "update"' "$D/bmp2.json" | grep -q '"ip_prefix": "2001:db8:21::/48"'; }
wait_until 30 resynced && ok "a reconnected collector gets Peer Up and the routes again" ||
  not_ok "a reconnected collector gets Peer Up and the routes again"
# Every route BIRD still announces, once: 3 + 2500 IPv4, 2 IPv6.
nresync() { grep '"log_type": "update"' "$D/bmp2.json" |
  sed -n 's/.*"ip_prefix": "\([^"]*\)".*/\1/p' | sort -u | wc -l; }
full_resync() { [ "$(nresync)" = 2505 ]; }
wait_until 20 full_resync
check_eq "the resync carries all of BIRD's routes (pages of 1000)" "$(nresync)" 2505
if grep -q '"ip_prefix": "10.23.0.0/24"' "$D/bmp2.json"; then
  not_ok "the withdrawn 10.23.0.0/24 is not in the resync"
else
  ok "the withdrawn 10.23.0.0/24 is not in the resync"
fi
birdc -s "$BIRD_SOCK" disable xr4 >/dev/null
bmp_down() { grep '"bmp_msg_type": "peer_down"' "$D/bmp2.json" 2>/dev/null |
  grep -q '"peer_ip": "10.97.0.2"'; }
wait_until 15 bmp_down && ok "pmbmpd logged Peer Down for 10.97.0.2" ||
  not_ok "pmbmpd logged Peer Down for 10.97.0.2"
pd=$(grep '"bmp_msg_type": "peer_down"' "$D/bmp2.json" | grep '"peer_ip": "10.97.0.2"' | head -1)
check_eq "Peer Down reason: remote NOTIFICATION (BIRD's Cease)" \
  "$(json_get "d['reason_type']" <<<"$pd")" 3
# BIRD killed: the IPv6 session ends without a NOTIFICATION (reason 4).
kill -KILL $BIRD_PID
bmp_down6() { grep '"bmp_msg_type": "peer_down"' "$D/bmp2.json" 2>/dev/null |
  grep -q '"peer_ip": "fd00:97::2"'; }
wait_until 15 bmp_down6
pd=$(grep '"bmp_msg_type": "peer_down"' "$D/bmp2.json" | grep '"peer_ip": "fd00:97::2"' | head -1)
check_eq "Peer Down reason: closed without NOTIFICATION" \
  "$(json_get "d['reason_type']" <<<"$pd")" 4

# --- BGP4MP: stop xrouted (the message file completes), read it -----------------
kill_pids $XR_PID
check "message dump renamed into place at exit" test -f "$D/updates.mrt"
msgs=$(bgpdump -m "$D/updates.mrt" 2>/dev/null)
diag "$(head -5 <<<"$msgs")"
grep -q '^BGP4MP|[0-9]*|A|10.97.0.2|65001|10.20.0.0/16|65001|IGP|10.97.0.2|' <<<"$msgs" &&
  ok "bgpdump decodes BIRD's UPDATE for 10.20.0.0/16" ||
  not_ok "bgpdump decodes BIRD's UPDATE for 10.20.0.0/16"
grep -q '^BGP4MP|[0-9]*|W|10.97.0.2|65001|10.23.0.0/24' <<<"$msgs" &&
  ok "bgpdump decodes the withdrawal of 10.23.0.0/24" ||
  not_ok "bgpdump decodes the withdrawal of 10.23.0.0/24"
grep -q '^BGP4MP|[0-9]*|A|fd00:97::2|65001|2001:db8:20::/48|' <<<"$msgs" &&
  ok "bgpdump decodes the IPv6 UPDATE" || not_ok "bgpdump decodes the IPv6 UPDATE"
grep -q '^BGP4MP|[0-9]*|STATE|10.97.0.2|65001|5|6' <<<"$msgs" &&
  ok "state change OpenConfirm -> Established recorded" ||
  not_ok "state change OpenConfirm -> Established recorded"
# Received messages are MESSAGE_AS4, ours MESSAGE_AS4_LOCAL (RFC 6396
# 4.4.7), which bgpdump prints as MESSAGE_LOCAL, from our address.
opens=$(bgpdump "$D/updates.mrt" 2>/dev/null | grep -A1 "^TYPE: BGP4MP.*/Open" |
  awk '/^TYPE/ { t = $2 } /^FROM/ { print t, $2, $3 }' | sort -u)
check_eq "OPENs both ways, each with its sender" "$(tr '\n' ';' <<<"$opens")" \
"BGP4MP/MESSAGE/Open 10.97.0.2 AS65001;BGP4MP/MESSAGE/Open fd00:97::2 AS65001;\
BGP4MP/MESSAGE_LOCAL/Open 10.97.0.1 AS12076;BGP4MP/MESSAGE_LOCAL/Open fd00:97::1 AS12076;"
done_testing
