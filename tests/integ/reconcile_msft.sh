#!/usr/bin/env bash
# Microsoft peering realised by the edge (issue 4; spec 2.5, 2.6, 4): the
# API role on a temp SQLite store, the primary edge following it, a BIRD CE
# from the template in reconcile_lib.bash. Every change goes through the API:
#   circuit -> provisioned -> Microsoft peering (private ASN: prefixes
#   ValidationNeeded) -> the session is held down, GET says why -> the
#   provider approves -> Configured -> session up; no route filter: the CE
#   gets nothing; filter with two service communities attached -> exactly
#   their catalogue prefixes (compared with data/bgp-service-communities.json),
#   tagged with the service and regional communities; rule edited -> exactly
#   the difference, session not reset; detached -> all withdrawn. The CE
#   announces an RFC 1918 prefix, one outside advertisedPublicPrefixes and
#   one inside: only the inside one is accepted (the edge shows why the
#   others were filtered). A prefix list back in ValidationNeeded holds the
#   session down again.
set -u
. "$(dirname "$0")/lib.sh"

command -v bird >/dev/null && command -v birdc >/dev/null || {
  skip "reconcile Microsoft peering" "BIRD 2 not installed"; done_testing; exit 0; }
xr_built || { not_ok "no $XR_BUILD/xrouted or xrctl"; done_testing; exit 1; }
. "$(dirname "$0")/reconcile_lib.bash"
KEY=msft-peering-key
PFX=45.67.88.0/22          # advertisedPublicPrefixes (public, not documentation)
rce_setup || { done_testing; exit 1; }

for n in e1 c1; do ns_create xr-rcms-$n || exit 1; done
ns_link xr-rcms-e1 p400 "" xr-rcms-c1 msee "203.0.113.1/30"

SKEY=$($API circuit c1) && [ -n "$SKEY" ] &&
  ok "circuit created and provisioned" || not_ok "circuit c1"
CTX="$SKEY/MicrosoftPeering"    # xrctl takes the context name with its slash
check_eq "Microsoft peering created; private peerASN: prefixes need validation" \
  ValidationNeeded "$($API msft c1 400 203.0.113.0/30 203.0.113.4/30 "$KEY" $PFX)"
start_edge xr-rcms-e1 e1 primary 10.255.0.1 400=p400

# CE: an RFC 1918 prefix, one outside PFX, one inside
write_ce c1 203.0.113.1 203.0.113.2 "$KEY"
printf 'route %s blackhole;\n' 10.9.0.0/24 45.67.100.0/24 45.67.89.0/24 \
  >"$D/c1/routes.conf"
start_bird xr-rcms-c1 "$D/c1" || not_ok "BIRD starts in c1"
S=$BIRD_SOCK
est() { bird_established "$S" msee; }
notest() { ! est; }
pget() { $API mget c1 "$1"; }
pget_is() { [ "$(pget "$1")" = "$2" ]; }
# the prefixes the CE has from the edge, sorted, one line
ce_routes() {
  birdc -s "$S" show route protocol msee | awk '$1 ~ /^[0-9]+\./ {print $1}' |
    sort | tr '\n' ' ' | sed 's/ $//'
}
ce_routes_are() { [ "$(ce_routes)" = "$1" ]; }
# the IPv4 catalogue prefixes of some communities, in the same form
cat_routes() {
  python3 - "$XR_ROOT/data/bgp-service-communities.json" "$@" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
want = set(sys.argv[2:])
print(" ".join(sorted(p for s in d["services"] for c in s["bgpCommunities"]
                      if c["communityValue"] in want
                      for p in c["communityPrefixes"] if ":" not in p)))
EOF
}

# ---- held until the prefixes are Configured ------------------------------------
hold_msg="advertisedPublicPrefixesState is ValidationNeeded; the session stays down until it is Configured"
wait_until 20 pget_is "d['properties']['primaryStatus']['lastError']" "$hold_msg" &&
  ok "GET: primaryStatus.lastError says why the session is held" ||
  not_ok "held reason in primaryStatus.lastError"
check_eq "GET: primaryStatus adminDown, state" "True Idle" \
  "$(pget "str(d['properties']['primaryStatus']['adminDown']) + ' ' + d['properties']['primaryStatus']['state']")"
sleep 3
notest && ok "ValidationNeeded: no session with the CE" || not_ok "session held down"

$API approve c1 && ok "provider approved the advertised public prefixes" ||
  not_ok "approve"
check_eq "prefixes state after approval" Configured \
  "$(pget "d['properties']['microsoftPeeringConfig']['advertisedPublicPrefixesState']")"
wait_until 30 est && ok "Configured: session Established" || not_ok "session up after approval"
wait_until 15 pget_is "d['properties']['primaryStatus']['state']" Established &&
  ok "GET: primaryStatus Established" || not_ok "primaryStatus Established"

# ---- receive side ----------------------------------------------------------------
filtered() {  # reasons the edge gives for the CE's filtered prefixes
  "$XR_BUILD/xrctl" -s "$D/e1.sock" -j show route "$CTX" --filtered 203.0.113.1 |
    json_get "' | '.join(sorted('%s %s' % (r['network'], r['reason']) for r in d['routes']))"
}
loc() {  # the Loc-RIB prefixes learnt from the CE
  "$XR_BUILD/xrctl" -s "$D/e1.sock" -j show route "$CTX" |
    json_get "' '.join(sorted(r['network'] for r in d['routes'] if not r['local']))"
}
loc_is() { [ "$(loc)" = "$1" ]; }
wait_until 15 loc_is 45.67.89.0/24 &&
  ok "edge accepted only the prefix inside $PFX" ||
  not_ok "edge accepted only 45.67.89.0/24 (got '$(loc)')"
check_eq "edge: filtered prefixes with their reasons" \
  "10.9.0.0/24 bogon: private address space (RFC 1918) | 45.67.100.0/24 not in advertisedPublicPrefixes" \
  "$(filtered)"
rpath() {  # path|from of 45.67.89.0/24 in a table of the edge
  "$XR_BUILD/xrctl" -s "$D/e1.sock" -j show route "$CTX" 45.67.89.0/24 "$@" |
    json_get "d['routes'][0]['path'] + '|' + d['routes'][0]['from']"
}
check_eq "as received: the CE's private ASN in the path" "65010|203.0.113.1" \
  "$(rpath --pre-policy 203.0.113.1)"
check_eq "accepted: private ASN 65010 stripped from the path" "|203.0.113.1" \
  "$(rpath)"
wait_until 10 pget_is "d['properties']['primaryStatus']['prefixesReceived']" 1 &&
  ok "GET: primaryStatus prefixesReceived 1" || not_ok "prefixesReceived 1"

# ---- send side: nothing without a filter ----------------------------------------
sleep 2
check_eq "no route filter: the CE has no routes from the edge" "" "$(ce_routes)"
$API filter f1 12076:5040,12076:5060 && ok "route filter f1 (5040, 5060) created" ||
  not_ok "filter f1"
sleep 2
check_eq "filter not attached yet: still nothing" "" "$(ce_routes)"
UP0=$(pget "d['properties']['primaryStatus']['upSince']")

$API attach c1 f1 >/dev/null && ok "f1 attached to the Microsoft peering" ||
  not_ok "attach f1"
WANT=$(cat_routes 12076:5040 12076:5060)
[ "$(echo $WANT | wc -w)" -eq 2 ] || not_ok "catalogue has 2 prefixes for 5040/5060 ('$WANT')"
wait_until 15 ce_routes_are "$WANT" &&
  ok "CE has exactly the catalogue prefixes of 5040 and 5060 ($WANT)" ||
  not_ok "CE routes after attach: got '$(ce_routes)', want '$WANT'"
# West US (regionCode 6): regional community 12076:51006
check_eq "communities on 192.0.2.24/29 (CRM Online)" "(12076,5040) (12076,51006)" \
  "$(birdc -s "$S" show route 192.0.2.24/29 all | sed -n 's/.*BGP.community: //p')"
check_eq "AS path of an edge route" "12076" \
  "$(birdc -s "$S" show route 192.0.2.40/29 all | sed -n 's/.*BGP.as_path: //p')"
wait_until 10 pget_is "d['properties']['primaryStatus']['prefixesAdvertised']" 2 &&
  ok "GET: primaryStatus prefixesAdvertised 2" || not_ok "prefixesAdvertised 2"

# ---- rule edits re-evaluate live --------------------------------------------------
$API rule f1 12076:5040,12076:5070 && ok "rule edited: 5060 out, 5070 in" ||
  not_ok "rule edit"
WANT2=$(cat_routes 12076:5040 12076:5070)
wait_until 15 ce_routes_are "$WANT2" &&
  ok "CE has exactly the new set ($WANT2)" ||
  not_ok "CE routes after the edit: got '$(ce_routes)', want '$WANT2'"
check_eq "communities on 192.0.2.48/29 (Azure Resource Manager)" \
  "(12076,5070) (12076,51006)" \
  "$(birdc -s "$S" show route 192.0.2.48/29 all | sed -n 's/.*BGP.community: //p')"
check_eq "session not reset by the filter changes (upSince, flaps)" "$UP0 0" \
  "$(pget "str(d['properties']['primaryStatus']['upSince']) + ' ' + str(d['properties']['primaryStatus']['flaps'])")"

$API detach c1 >/dev/null && ok "filter detached" || not_ok "detach"
wait_until 15 ce_routes_are "" && ok "detached: every route withdrawn from the CE" ||
  not_ok "CE routes after detach: '$(ce_routes)'"
est && check_eq "session still up after the detach (flaps)" 0 \
  "$(pget "d['properties']['primaryStatus']['flaps']")" ||
  not_ok "session stayed up after the detach"

# ---- a new prefix list needs validation again: session held -----------------------
check_eq "prefix list with a documentation range: validation needed again" \
  ValidationNeeded "$($API msft c1 400 203.0.113.0/30 203.0.113.4/30 "$KEY" $PFX,198.51.100.0/24)"
wait_until 15 notest && ok "session taken down while the prefixes are not Configured" ||
  not_ok "session down after the prefix change"
birdc -s "$S" show protocols all msee | grep -q "advertisedPublicPrefixesState is ValidationNeeded" &&
  ok "CE received the reason as shutdown communication" ||
  not_ok "CE shutdown communication"
wait_until 10 pget_is "d['properties']['primaryStatus']['lastError']" "$hold_msg" &&
  ok "GET: lastError is the ValidationNeeded reason again" ||
  not_ok "lastError after the prefix change: '$(pget "d['properties']['primaryStatus']['lastError']")'"
# held for another reason now: the status follows
$API msft c1 400 203.0.113.0/30 203.0.113.4/30 "$KEY" $PFX,198.51.100.0/24 \
  Disabled >/dev/null && ok "peering Disabled while held" || not_ok "disable"
wait_until 10 pget_is "d['properties']['primaryStatus']['lastError']" "peering disabled" &&
  ok "GET: lastError follows the new hold reason (peering disabled)" ||
  not_ok "lastError after Disabled: '$(pget "d['properties']['primaryStatus']['lastError']")'"
rce_logs_clean
done_testing
