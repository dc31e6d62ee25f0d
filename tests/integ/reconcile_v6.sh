#!/usr/bin/env bash
# IPv6 private peering and kernel tables, through the API (issue 4):
#   - ipv6PeeringConfig /126s -> a second session per path in the same
#     context, CE on the first address, the edge on the second (put on the
#     interface by the reconciler), IPv6 unicast, 100-prefix limit;
#   - each reconciled context installs its Loc-RIB into its own kernel
#     table, id = 1000 + FNV-1a-32(context name) mod 1000000: the CE's IPv4
#     and IPv6 prefixes via the CE's addresses, and "ip rule iif <the
#     peering's interface> lookup <table>";
#   - GET circuit / xrctl circuit show: sessionSummary per path; xrctl
#     peering show: one line per session (IPv4 and IPv6);
#   - 101 IPv6 prefixes close only the IPv6 session (Cease / Maximum
#     Number of Prefixes Reached), IPv4 stays up;
#   - DELETE peering -> the table is empty, its rules and the edge's
#     addresses are gone.
set -u
. "$(dirname "$0")/lib.sh"

command -v bird >/dev/null && command -v birdc >/dev/null || {
  skip "reconcile IPv6" "BIRD 2 not installed"; done_testing; exit 0; }
xr_built || { not_ok "no $XR_BUILD/xrouted or xrctl"; done_testing; exit 1; }
. "$(dirname "$0")/reconcile_lib.bash"
KEY=v6-test-key
rce_setup || { done_testing; exit 1; }

for n in e1 e2 c1 c2; do ns_create xr-rc6-$n || exit 1; done
ns_link xr-rc6-e1 p200 "" xr-rc6-c1 msee "172.16.0.1/30 fd00:200::1/126"
ns_link xr-rc6-e2 p200 "" xr-rc6-c2 msee "172.16.0.5/30 fd00:200::5/126"

eval "export $($API env)"
SKEY=$($API circuit c1) && $API peering c1 200 172.16.0.0/30 \
  172.16.0.4/30 "$KEY" && ok "circuit with a private peering (IPv4)" ||
  not_ok "circuit and peering"
# IPv6 added to the existing peering the way az does it
"$XR_BUILD/xrctl" peering update -g rg --circuit-name c1 \
  --peering-type AzurePrivatePeering --ip-version IPv6 \
  --primary-peer-subnet fd00:200::/126 \
  --secondary-peer-subnet fd00:200::4/126 >/dev/null &&
  check_eq "xrctl peering update --ip-version IPv6: dual stack, IPv4 kept" \
    "fd00:200::/126 fd00:200::4/126 172.16.0.0/30 200" \
    "$($API get c1 "' '.join([d['properties']['ipv6PeeringConfig']['primaryPeerAddressPrefix'], d['properties']['ipv6PeeringConfig']['secondaryPeerAddressPrefix'], d['properties']['primaryPeerAddressPrefix'], str(d['properties']['vlanId'])])")" ||
  not_ok "xrctl peering update --ip-version IPv6"
start_edge xr-rc6-e1 e1 primary 10.255.0.1 200=p200
start_edge xr-rc6-e2 e2 secondary 10.255.0.2 200=p200

write_ce c1 172.16.0.1 172.16.0.2 "$KEY"
write_ce6 c1 fd00:200::1 fd00:200::2 "$KEY"
write_ce c2 172.16.0.5 172.16.0.6 "$KEY"
write_ce6 c2 fd00:200::5 fd00:200::6 "$KEY"
start_bird_ce xr-rc6-c1 c1
start_bird_ce xr-rc6-c2 c2
est() { ce_est "$@"; }
notest() { ce_down "$@"; }
pget() { $API get c1 "$1"; }
cget() { $API circuit-get c1 "$1"; }
pget_is() { [ "$(pget "$1")" = "$2" ]; }

wait_until 40 est c1 && wait_until 20 est c2 &&
  ok "IPv4 sessions Established on both paths" || not_ok "IPv4 sessions"
wait_until 40 est c1 msee6 && wait_until 20 est c2 msee6 &&
  ok "IPv6 sessions Established on both paths (CE ::1/::5, edge ::2/::6)" ||
  not_ok "IPv6 sessions"
ip -n xr-rc6-e1 -6 addr show p200 | grep -q "inet6 fd00:200::2/126" &&
ip -n xr-rc6-e2 -6 addr show p200 | grep -q "inet6 fd00:200::6/126" &&
  ok "reconciler put fd00:200::2 and ::6 on the mapped interfaces" ||
  not_ok "edge IPv6 addresses"
birdc -s "${SOCK[c1]}" show protocols all msee6 |
  grep -q "Neighbor address: fd00:200::2" &&
  ok "c1: its IPv6 neighbour is the /126's second address" ||
  not_ok "c1 IPv6 neighbour fd00:200::2"

# ---- status through GET ------------------------------------------------------
wait_until 20 pget_is "d['properties']['primaryStatus']['ipv6']['prefixesReceived']" 1 &&
wait_until 20 pget_is "d['properties']['secondaryStatus']['ipv6']['state']" Established &&
  ok "GET: primaryStatus.ipv6 counts the CE's IPv6 prefix; secondary Established" ||
  not_ok "GET ipv6 status"
check_eq "primaryStatus.ipv6 neighbor/local" "fd00:200::1 fd00:200::2" \
  "$(pget "d['properties']['primaryStatus']['ipv6']['neighbor'] + ' ' + d['properties']['primaryStatus']['ipv6']['localAddress']")"

# ---- kernel table --------------------------------------------------------------
T=$(pget "d['properties']['primaryStatus']['kernelTable']")
WANT=$(python3 -c '
import sys
h = 2166136261
for c in sys.argv[1].encode():
    h = ((h ^ c) * 16777619) & 0xffffffff
print(1000 + h % 1000000)' "$SKEY/AzurePrivatePeering")
check_eq "kernel table id follows the documented rule (FNV-1a of the context)" \
  "$WANT" "$T"
check_eq "secondary edge computes the same table id" "$T" \
  "$(pget "d['properties']['secondaryStatus']['kernelTable']")"
rt4() { ip -n "$1" -4 route show table "$T" 2>/dev/null; }
rt6() { ip -n "$1" -6 route show table "$T" 2>/dev/null; }
has4() { rt4 xr-rc6-e1 | grep -q "^10.2.20.0/25 via 172.16.0.1 dev p200"; }
has6() { rt6 xr-rc6-e1 | grep -q "^fd99:20::/48 via fd00:200::1 dev p200"; }
wait_until 10 has4 && ok "table $T on e1: 10.2.20.0/25 via 172.16.0.1" ||
  not_ok "IPv4 route in table $T: $(rt4 xr-rc6-e1)"
wait_until 10 has6 && ok "table $T on e1: fd99:20::/48 via fd00:200::1" ||
  not_ok "IPv6 route in table $T: $(rt6 xr-rc6-e1)"
rt4 xr-rc6-e2 | grep -q "^10.2.20.0/25 via 172.16.0.5 dev p200" &&
  ok "table $T on e2: via the secondary CE 172.16.0.5" || not_ok "e2 table"
rules() { ip -n xr-rc6-e1 -4 rule show; ip -n xr-rc6-e1 -6 rule show; }
[ "$(rules | grep -c "iif p200 lookup $T")" = 2 ] &&
  ok "ip rule iif p200 lookup $T (IPv4 and IPv6): the customer's packets use the context's table" ||
  not_ok "iif rules for table $T: $(rules)"
ip -n xr-rc6-e1 route show table main | grep -q "10.2.20.0/25" &&
  not_ok "the CE's prefix leaked into the main table" ||
  ok "main table untouched"

# ---- circuit summary and xrctl show ------------------------------------------------
cup() { [ "$(cget "d['properties']['sessionSummary']['state']")" = Up ]; }
wait_until 15 cup && ok "GET circuit: sessionSummary Up" || not_ok "sessionSummary Up"
has_lines() {  # WHAT TEXT LINE...: each LINE is a whole line of TEXT
  local what=$1 text=$2 l; shift 2
  for l; do
    grep -qxF "$l" <<<"$text" && ok "$what: '$l'" || not_ok "$what lacks '$l'"
  done
}
has_lines "xrctl circuit show" "$("$XR_BUILD/xrctl" circuit show -g rg -n c1)" \
  "Name                             : c1" \
  "CircuitProvisioningState         : Enabled" \
  "ServiceProviderProvisioningState : Provisioned" \
  "ServiceKey                       : $SKEY" \
  "SessionState                     : Up" \
  "PrimarySessions                  : 2 of 2 Established" \
  "SecondarySessions                : 2 of 2 Established"
PS=$("$XR_BUILD/xrctl" peering show -g rg --circuit-name c1 -n AzurePrivatePeering)
has_lines "xrctl peering show" "$PS" \
  "PeeringType                : AzurePrivatePeering" \
  "AzureASN                   : 12076" \
  "PrimaryPeerAddressPrefix   : 172.16.0.0/30" \
  "SharedKey                  :" \
  "VlanId                     : 200"
grep -qE "^PrimarySession             : Established, neighbor 172\.16\.0\.1, up [0-9:]+, 1 received, 0 advertised, 0 flaps$" <<<"$PS" &&
grep -qE "^SecondarySessionIPv6       : Established, neighbor fd00:200::5, up [0-9:]+, 1 received, 0 advertised, 0 flaps$" <<<"$PS" &&
  ok "xrctl peering show: one line per session (IPv4 and IPv6)" ||
  { not_ok "xrctl peering show session lines"; diag "$PS"; }
check_eq "xrctl -o json: the ARM JSON" "AzurePrivatePeering Up" \
  "$("$XR_BUILD/xrctl" circuit show -g rg -n c1 -o json |
     json_get "d['properties']['peerings'][0]['name'] + ' ' + d['properties']['sessionSummary']['state']")"

# ---- IPv6 prefix limit: 101 -> only the IPv6 session closes ------------------------
write_ce6 c1 fd00:200::1 fd00:200::2 "$KEY" 101
birdc -s "${SOCK[c1]}" configure >/dev/null
wait_until 30 bash -c "birdc -s '${SOCK[c1]}' show protocols all msee6 |
  grep -q 'Received: Maximum number of prefixes reached'" &&
  ok "101 IPv6 prefixes: the edge closed the IPv6 session (limit 100)" ||
  not_ok "IPv6 max-prefix NOTIFICATION"
est c1 && ok "IPv4 session of the same path stays Established" ||
  not_ok "IPv4 session after the IPv6 limit"
wait_until 10 bash -c "$API get c1 | grep -q 'maximum prefixes (100) reached'" &&
  ok "GET: primaryStatus.ipv6 lastError names the limit (100)" ||
  not_ok "IPv6 lastError"
cdeg() { [ "$(cget "d['properties']['sessionSummary']['state'] + ' ' + str(d['properties']['sessionSummary']['primary']['established'])")" = "Degraded 1" ]; }
wait_until 10 cdeg && ok "GET circuit: Degraded, primary 1 of 2 Established" ||
  not_ok "sessionSummary Degraded"
no6() { ! has6; }
wait_until 10 no6 && has4 && ok "table $T: the IPv6 routes went with the session, IPv4 stays" ||
  not_ok "table $T after the IPv6 tear-down: $(rt6 xr-rc6-e1)"

# ---- DELETE: table empty, addresses gone -------------------------------------------
$API delete c1 && ok "peering deleted through the API" || not_ok "delete"
empty() { [ -z "$(rt4 "$1")$(rt6 "$1")" ]; }
wait_until 15 empty xr-rc6-e1 && wait_until 15 empty xr-rc6-e2 &&
  ok "table $T empty on both edges" ||
  not_ok "table $T after delete: e1 [$(rt4 xr-rc6-e1) $(rt6 xr-rc6-e1)] e2 [$(rt4 xr-rc6-e2) $(rt6 xr-rc6-e2)]"
noaddr() { ! ip -n "$1" addr show p200 | grep -qE "inet6? (172\.16\.0\.|fd00:200::)"; }
norule() { ! rules | grep -q "lookup $T"; }
wait_until 10 norule && ok "the iif rules of table $T are gone" ||
  not_ok "rules left: $(rules | grep "lookup $T")"
wait_until 10 noaddr xr-rc6-e1 && wait_until 10 noaddr xr-rc6-e2 &&
  ok "the edges' IPv4 and IPv6 link addresses are gone from p200" ||
  not_ok "addresses left: $(ip -n xr-rc6-e1 addr show p200 | grep inet)"
wait_until 10 notest c1 && notest c1 msee6 && ok "CE sessions down" ||
  not_ok "CE sessions after delete"
check_eq "GET circuit: NotConfigured without peerings" NotConfigured \
  "$(cget "d['properties']['sessionSummary']['state']")"
rce_logs_clean
done_testing
