#!/usr/bin/env bash
# The gateway role from the store (issue 4 item 3): the API role on a temp
# SQLite store; two edges (xrouted --role edge --db) and one gateway
# (xrouted --role gateway --db --gateway ID), each in its own namespace,
# with veths edge<->gateway; BIRD CEs from the template. Every change goes
# through the API:
#   circuit -> Provisioned -> private peering -> hub VNet (GatewaySubnet
#   10.10.255.0/27) + spoke peered with useRemoteGateways -> gateway ->
#   connection. Then: the CEs learn both address spaces with AS_PATH
#   exactly "12076" and the regional community; the gateway learns the
#   on-premises prefix over both paths and installs it with two next hops
#   (the /31s 10.10.255.0 and .2) in its kernel table; GET on the
#   connection shows Connected and both BGP peers; a new spoke address
#   space reaches the CE without any session reset; a second circuit adds
#   a third next hop (ECMP across circuits), a higher routingWeight makes
#   it the only one, and deleting its connection removes its sessions.
set -u
. "$(dirname "$0")/lib.sh"

command -v bird >/dev/null && command -v birdc >/dev/null || {
  skip "reconcile gateway" "BIRD 2 not installed"; done_testing; exit 0; }
[ -x "$XR_BUILD/xrouted" ] || { not_ok "no $XR_BUILD/xrouted"; done_testing; exit 1; }

. "$(dirname "$0")/reconcile_lib.bash"
KEY1=gw-test-key-1 KEY2=gw-test-key-2
COMM="(12076,50006)"	# westus, regionCode 6 in data/catalogue.json
rce_setup || { done_testing; exit 1; }

# ---- namespaces: edges e1/e2, gateway g, CEs c1/c2 (circuit k1), c3 (k2) --
for n in e1 e2 g c1 c2 c3; do ns_create xr-rgw-$n || exit 1; done
ns_link xr-rgw-e1 p200 "" xr-rgw-c1 msee "172.16.0.1/30"
ns_link xr-rgw-e2 p200 "" xr-rgw-c2 msee "172.16.0.5/30"
ns_link xr-rgw-e1 p300 "" xr-rgw-c3 msee "172.16.1.1/30"
# the links to the gateway: addresses come from the store (gw.h)
ns_link xr-rgw-e1 gw "" xr-rgw-g e1 ""
ns_link xr-rgw-e2 gw "" xr-rgw-g e2 ""

# ---- desired state through the API -------------------------------------------
GWID=/subscriptions/20000000-0000-4000-8000-000000000001/resourceGroups/rg
GWID=$GWID/providers/Microsoft.Network/virtualNetworkGateways/hubgw
$API circuit k1 + peering k1 200 172.16.0.0/30 172.16.0.4/30 "$KEY1" \
  + vnet hub 10.10.0.0/16 10.10.255.0/27 + vnet spoke 10.11.0.0/16 \
  + gateway hubgw hub + vpeer hub spoke transit + vpeer spoke hub use \
  + connection cn1 hubgw k1 >"$D/steps.out" &&
  ok "API: circuit k1 provisioned, private peering, hub VNet (GatewaySubnet 10.10.255.0/27), spoke with useRemoteGateways, gateway, connection" ||
  not_ok "API steps"
check_eq "gateway id as created" "$GWID" "$(sed -n 2p "$D/steps.out")"

# ---- daemons -------------------------------------------------------------------
start_edge xr-rgw-e1 e1 primary 10.255.0.1 200=p200,300=p300 \
  --gateway-interface gw
start_edge xr-rgw-e2 e2 secondary 10.255.0.2 200=p200 --gateway-interface gw
start_gw xr-rgw-g g "$GWID" --edge-map primary=e1,secondary=e2 \
  --kernel-table 100
declare -A SOCK
for c in "c1 172.16.0.1 172.16.0.2 $KEY1" "c2 172.16.0.5 172.16.0.6 $KEY1"; do
  set -- $c
  write_ce "$1" "$2" "$3" "$4"
  start_bird xr-rgw-$1 "$D/$1" || not_ok "BIRD starts in $1"
  SOCK[$1]=$BIRD_SOCK
done

est() { bird_established "${SOCK[$1]}" msee; }
since() { birdc -s "${SOCK[$1]}" show protocols msee |
  awk '$1 == "msee" { print $5; exit }'; }
conn() { $API getconn "$1" | json_get "$2"; }
conn_is() { [ "$(conn "$1" "$2")" = "$3" ]; }
# the CE's route: AS_PATH exactly "12076" and the regional community
ce_route() {
  local out
  out=$(birdc -s "${SOCK[$1]}" show route for "$2" all protocol msee) || return 1
  echo "$out" | grep -q "^$2 " &&
  echo "$out" | grep -Eq "BGP.as_path: 12076$" &&
  echo "$out" | grep -Fq "BGP.community: $COMM"
}
ktable() { ip -n xr-rgw-g route show table 100 10.2.20.0/25; }
# next hops of the on-premises prefix in the gateway's table, sorted
nhops() { ktable | grep -oE "via 10\.10\.255\.[0-9]+" | awk '{print $2}' |
  sort | paste -sd' '; }
nhops_are() { [ "$(nhops)" = "$1" ]; }
gw_peers() { "$XR_BUILD/xrctl" -s "$D/g.sock" -j show bgp summary |
  json_get "len(d['contexts']['vnet']['peers'])"; }
gw_peers_are() { [ "$(gw_peers)" = "$1" ]; }

wait_until 40 est c1 && wait_until 20 est c2 &&
  ok "CE sessions Established on both paths" || not_ok "CE sessions"
wait_until 40 conn_is cn1 "d['properties']['connectionStatus']" Connected &&
  ok "GET connection: connectionStatus Connected" ||
  not_ok "connectionStatus Connected"
wait_until 20 conn_is cn1 "sorted(p['state'] for p in d['properties']['bgpPeerStatus'])" \
'["Connected", "Connected"]' &&
  check_eq "bgpPeerStatus: both edges, AS 12076, over the /31s" \
    "primary 10.10.255.1 10.10.255.0 12076 secondary 10.10.255.3 10.10.255.2 12076" \
    "$(conn cn1 "' '.join('%s %s %s %s' % (p['path'], p['localAddress'], p['neighbor'], p['asn']) for p in d['properties']['bgpPeerStatus'])")" ||
  not_ok "bgpPeerStatus Connected on both paths"
check_eq "POST gateway getBgpPeerStatus: both sessions of cn1" \
  "cn1 Connected 10.10.255.0 cn1 Connected 10.10.255.2" \
  "$($API gwpeers hubgw | json_get "' '.join('%s %s %s' % (p['connection'], p['state'], p['neighbor']) for p in d['value'])")"
ip -n xr-rgw-e1 -4 addr show gw | grep -q "inet 10.10.255.0/31" &&
ip -n xr-rgw-g -4 addr show e2 | grep -q "inet 10.10.255.3/31" &&
  ok "link addresses put by the edges and the gateway (GatewaySubnet rule)" ||
  not_ok "link addresses"

# ---- what the customer sees -----------------------------------------------------
for c in c1 c2; do
  wait_until 30 ce_route $c 10.10.0.0/16 && wait_until 10 ce_route $c 10.11.0.0/16 &&
    ok "$c learns the hub and spoke spaces, AS_PATH 12076, community $COMM" ||
    { not_ok "$c: VNet and spoke spaces with AS_PATH 12076 $COMM";
      diag "$(birdc -s "${SOCK[$c]}" show route all protocol msee)"; }
done
birdc -s "${SOCK[c1]}" show route protocol msee | grep -q "10.10.255.0/27" &&
  not_ok "a subnet was advertised" || ok "subnets are not advertised"

# ---- what the gateway learns ------------------------------------------------------
wait_until 30 nhops_are "10.10.255.0 10.10.255.2" &&
  ok "gateway table 100: 10.2.20.0/25 via both edges (ECMP)" ||
  { not_ok "gateway ECMP over both paths: '$(nhops)'"; diag "$(ktable)"; }

# ---- a new address space: no session reset ----------------------------------------
S1=$(since c1) S2=$(since c2)
F0=$(conn cn1 "sum(p['flaps'] for p in d['properties']['bgpPeerStatus'])")
$API vnet spoke 10.11.0.0/16,10.12.0.0/16 &&
  ok "address space 10.12.0.0/16 added to the spoke" || not_ok "spoke update"
wait_until 20 ce_route c1 10.12.0.0/16 && wait_until 10 ce_route c2 10.12.0.0/16 &&
  ok "both CEs learn it (AS_PATH 12076, $COMM)" || not_ok "new space at the CEs"
est c1 && est c2 && check_eq "CE sessions not reset (BIRD 'since' unchanged)" \
  "$S1 $S2" "$(since c1) $(since c2)" || not_ok "CE sessions stayed up"
check_eq "gateway sessions not reset (flaps)" "$F0" \
  "$(conn cn1 "sum(p['flaps'] for p in d['properties']['bgpPeerStatus'])")"

# ---- a second circuit: ECMP across circuits, then routingWeight -------------------
K2=$($API circuit k2 + peering k2 300 172.16.1.0/30 172.16.1.4/30 "$KEY2" \
  + connection cn2 hubgw k2) && ok "circuit k2 connected (routingWeight 0)" ||
  not_ok "circuit k2 and connection cn2"
write_ce c3 172.16.1.1 172.16.1.2 "$KEY2"
start_bird xr-rgw-c3 "$D/c3" || not_ok "BIRD starts in c3"
SOCK[c3]=$BIRD_SOCK
wait_until 40 est c3 && ok "k2's primary CE Established" || not_ok "c3 session"
wait_until 40 nhops_are "10.10.255.0 10.10.255.2 10.10.255.4" &&
  ok "equal weights: ECMP over both circuits (.0 .2 .4)" ||
  { not_ok "ECMP across circuits: '$(nhops)'"; diag "$(ktable)"; }
$API connection cn2 hubgw k2 100 && ok "cn2 routingWeight 100" ||
  not_ok "routingWeight update"
wait_until 20 nhops_are "10.10.255.4" &&
  ok "the higher routingWeight wins: only k2's edge (.4)" ||
  { not_ok "routingWeight preference: '$(nhops)'"; diag "$(ktable)"; }
est c1 && est c2 && check_eq "k1's CE sessions untouched" "$S1 $S2" \
  "$(since c1) $(since c2)" || not_ok "k1 sessions after the weight change"

# ---- deleting the connection removes its sessions ---------------------------------
gw_peers_are 4 && ok "gateway has 4 sessions (2 connections)" ||
  not_ok "gateway sessions: $(gw_peers)"
$API delconn cn2 && ok "connection cn2 deleted" || not_ok "delete cn2"
wait_until 20 gw_peers_are 2 && ok "its two sessions are gone from the gateway" ||
  not_ok "gateway sessions after the delete: $(gw_peers)"
wait_until 20 nhops_are "10.10.255.0 10.10.255.2" &&
  ok "back to ECMP over k1's two edges" || not_ok "after delete: '$(nhops)'"
e1_k2_peers() { "$XR_BUILD/xrctl" -s "$D/e1.sock" -j show bgp summary |
  json_get "sorted(d['contexts']['$K2/AzurePrivatePeering']['peers'])"; }
e1_k2_peers_are() { [ "$(e1_k2_peers)" = "$1" ]; }
wait_until 20 e1_k2_peers_are '["172.16.1.1"]' &&
  ok "edge: k2's context keeps only its customer" ||
  not_ok "edge k2 context peers: $(e1_k2_peers)"
ce_route c1 10.10.0.0/16 && ok "k1's customer still learns the VNet" ||
  not_ok "k1 routes after the delete"

# ---- over the cap: the connection goes down, back once under it ------------------
many() {  # N /24s from 10.FIRST.0.0, comma separated
  local i
  for ((i = 0; i < $2; i++)); do
    [ $i -gt 0 ] && printf ,
    printf '10.%d.%d.0/24' $(($1 + i / 256)) $((i % 256))
  done
}
ce_lacks() { ! ce_route "$1" "$2"; }
$API vnet bigA "$(many 100 512)" + vnet bigB "$(many 102 512)" \
  + vpeer hub bigA transit + vpeer bigA hub use \
  + vpeer hub bigB transit + vpeer bigB hub use &&
  ok "two more spokes of 512 spaces each (1,027 IPv4 prefixes)" ||
  not_ok "big spokes"
wait_until 30 conn_is cn1 "d['properties']['connectionStatus']" NotConnected &&
  check_eq "over the cap: NotConnected, with the counts" \
    "1027 IPv4 and 0 IPv6 prefixes to advertise; a connection allows at most 1000 IPv4 and 100 IPv6" \
    "$(conn cn1 "d['properties']['xrStatusMessage']")" ||
  not_ok "connection NotConnected over the cap"
wait_until 20 ce_lacks c1 10.10.0.0/16 &&
  ok "the customer no longer learns the VNet (sessions to the gateway down)" ||
  not_ok "VNet still at the CE over the cap"
est c1 && ok "the customer's own session stays up" || not_ok "c1 session over the cap"
$API delvpeer bigB hub && ok "one big spoke stops using the gateway (515 left)" ||
  not_ok "delete bigB peering"
wait_until 40 ce_route c1 10.10.0.0/16 && wait_until 20 ce_route c1 10.100.0.0/24 &&
  ok "under the cap again: the VNet and the remaining spoke are back at the CE" ||
  not_ok "routes back under the cap"
ce_lacks c1 10.102.0.0/24 && ok "the spoke that left is not advertised" ||
  not_ok "10.102.0.0/24 still advertised"
wait_until 20 conn_is cn1 "d['properties']['connectionStatus']" Connected &&
  ok "connection Connected again" || not_ok "connection back to Connected"

rce_logs_clean
done_testing
