#!/usr/bin/env bash
# Circuits come alive through the API (issue 4, first slice): the API role
# on a temp SQLite store; two edges (xrouted --role edge --db, primary and
# secondary, each in its own namespace) follow the store; BIRD CEs
# and FRR configured from templates. Every change is made over HTTP:
#   create circuit -> provider provisions -> private peering -> both
#   sessions Established (CE on .1/.5, the edge on .2/.6, the address put
#   on the interface by the reconciler); GET shows both sessions' state;
#   sharedKey change -> both sessions reset and stay down until the CEs
#   use the new key, a session of another circuit untouched; Disabled ->
#   sessions down with the shutdown text; Enabled -> back.
set -u
. "$(dirname "$0")/lib.sh"

command -v bird >/dev/null && command -v birdc >/dev/null || {
  skip "reconcile edge" "BIRD 2 not installed"; done_testing; exit 0; }
[ -x "$XR_BUILD/xrouted" ] || { not_ok "no $XR_BUILD/xrouted"; done_testing; exit 1; }

. "$(dirname "$0")/reconcile_lib.bash"
KEY1=first-key-0123 KEY2=second-key-4567 KEY3=other-circuit-key
rce_setup || { done_testing; exit 1; }

# ---- namespaces: edge e1 (primary), e2 (secondary); CEs c1, c2; c3 is
# the customer of another circuit on the primary edge
for n in e1 e2 c1 c2 c3; do ns_create xr-rce-$n || exit 1; done
ns_link xr-rce-e1 p200 "" xr-rce-c1 msee "172.16.0.1/30"
ns_link xr-rce-e2 p200 "" xr-rce-c2 msee "172.16.0.5/30"
ns_link xr-rce-e1 p300 "" xr-rce-c3 msee "172.16.1.1/30"

# ---- circuits and peerings through the API -----------------------------------
SKEY=$($API circuit c1) && [ -n "$SKEY" ] &&
  ok "circuit created and provisioned (s-key $SKEY)" || not_ok "circuit c1"
$API peering c1 200 172.16.0.0/30 172.16.0.4/30 "$KEY1" &&
  ok "private peering created (VLAN 200, 172.16.0.0/30 + 172.16.0.4/30)" ||
  not_ok "peering c1"
$API circuit c2 >/dev/null && $API peering c2 300 172.16.1.0/30 \
  172.16.1.4/30 "$KEY3" && ok "second circuit with a peering (VLAN 300)" ||
  not_ok "circuit c2"

# ---- edges -------------------------------------------------------------------
start_edge xr-rce-e1 e1 primary 10.255.0.1 200=p200,300=p300
start_edge xr-rce-e2 e2 secondary 10.255.0.2 200=p200

# ---- CEs from a template (reconcile_lib.bash) ---------------------------------
# The secondary CE is FRR (one case with another implementation).
for c in "c1 172.16.0.1 172.16.0.2 $KEY1" "c3 172.16.1.1 172.16.1.2 $KEY3"; do
  set -- $c
  write_ce "$1" "$2" "$3" "$4"
  start_bird_ce xr-rce-$1 "$1"
done
write_frr "$D/c2" 172.16.0.5 172.16.0.6 "$KEY1"
start_frr xr-rce-c2 "$D/c2" || not_ok "FRR starts in c2"
est() { ce_est "$@"; }
notest() { ce_down "$@"; }
pget() { $API get "$1" | json_get "$2"; }
# re-read on every try: "$(pget ...)" as an argument would be read once
pget_is() { [ "$(pget "$1" "$2")" = "$3" ]; }
pstate() { [ "$(pget "$1" "d['properties']['$2Status']['state']")" = "$3" ]; }

wait_until 40 est c1 && ok "primary session Established (CE 172.16.0.1)" ||
  not_ok "primary session Established"
wait_until 40 est c2 && ok "secondary session Established (CE 172.16.0.5)" ||
  not_ok "secondary session Established"
wait_until 40 est c3 && ok "other circuit's session Established" ||
  not_ok "other circuit's session Established"

ip -n xr-rce-e1 -4 addr show p200 | grep -q "inet 172.16.0.2/30" &&
ip -n xr-rce-e2 -4 addr show p200 | grep -q "inet 172.16.0.6/30" &&
  ok "reconciler put .2 and .6 on the mapped interfaces" ||
  not_ok "edge addresses .2/.6 on p200"
birdc -s "${SOCK[c1]}" show protocols all msee | grep -q "Neighbor address: 172.16.0.2" &&
  ok "c1 (BIRD): its neighbour is the edge's second address 172.16.0.2" ||
  not_ok "c1 neighbour 172.16.0.2"
check_eq "c2 (FRR): local and neighbour addresses" "172.16.0.5 172.16.0.6" \
  "$(frr_vtysh "$D/c2" "show bgp neighbors 172.16.0.6 json" |
     json_get "d['172.16.0.6']['hostLocal'] + ' ' + d['172.16.0.6']['hostForeign']")"
birdc -s "${SOCK[c1]}" show route protocol msee all 2>/dev/null |
  grep -q "BGP.as_path: 12076$" || true   # nothing advertised yet: no gateway

# ---- status through GET ------------------------------------------------------
wait_until 15 pstate c1 primary Established &&
wait_until 15 pstate c1 secondary Established &&
  ok "GET peering: primaryStatus and secondaryStatus Established" ||
  not_ok "GET peering status" 
P=$($API get c1)
check_eq "primaryStatus neighbor/local" "172.16.0.1 172.16.0.2" \
  "$(echo "$P" | json_get "d['properties']['primaryStatus']['neighbor'] + ' ' + d['properties']['primaryStatus']['localAddress']")"
check_eq "secondaryStatus neighbor/local" "172.16.0.5 172.16.0.6" \
  "$(echo "$P" | json_get "d['properties']['secondaryStatus']['neighbor'] + ' ' + d['properties']['secondaryStatus']['localAddress']")"
wait_until 20 pget_is c1 "d['properties']['primaryStatus']['prefixesReceived']" 1 &&
  ok "primaryStatus counts the CE's prefix" || not_ok "primaryStatus prefixesReceived 1"
echo "$P" | json_get "d['properties']['primaryStatus']['uptimeSeconds'] >= 0 and 'sharedKey' not in d['properties']" |
  grep -qx true && ok "status has an uptime; sharedKey stays write-only" ||
  not_ok "uptime / sharedKey"
wait_until 10 pstate c2 primary Established || true
UP3=$(pget c2 "d['properties']['primaryStatus']['upSince']")
FL3=$(pget c2 "d['properties']['primaryStatus']['flaps']")

# ---- sharedKey change ----------------------------------------------------------
$API peering c1 200 172.16.0.0/30 172.16.0.4/30 "$KEY2" &&
  ok "sharedKey changed through the API" || not_ok "sharedKey change"
wait_until 15 notest c1 && wait_until 15 notest c2 &&
  ok "both sessions of the circuit reset for the new key" ||
  not_ok "sessions reset after the key change"
sleep 3
notest c1 && notest c2 && ok "old key on the CEs: no session (MD5 mismatch)" ||
  not_ok "sessions stayed down with the old key"
write_ce c1 172.16.0.1 172.16.0.2 "$KEY2"
birdc -s "${SOCK[c1]}" configure >/dev/null
frr_key "$D/c2" 172.16.0.6 "$KEY2"
wait_until 30 est c1 && wait_until 20 est c2 &&
  ok "CEs on the new key: both sessions Established again" ||
  not_ok "sessions back with the new key"
est c3 && check_eq "other circuit's session untouched (same upSince, flaps)" \
  "$UP3 $FL3" "$(pget c2 "d['properties']['primaryStatus']['upSince']") $(pget c2 "d['properties']['primaryStatus']['flaps']")" ||
  not_ok "other circuit's session stayed up"

# ---- admin state -----------------------------------------------------------------
$API peering c1 200 172.16.0.0/30 172.16.0.4/30 "$KEY2" Disabled &&
  ok "peering Disabled through the API" || not_ok "disable"
wait_until 15 notest c1 && wait_until 15 notest c2 &&
  ok "Disabled: both sessions down" || not_ok "Disabled: sessions down"
wait_until 10 pstate c1 primary Idle && wait_until 10 pstate c1 secondary Idle &&
  check_eq "GET shows the shutdown text" "peering disabled" \
    "$(pget c1 "d['properties']['primaryStatus']['adminMessage']")" ||
  not_ok "status Idle with the shutdown text"
birdc -s "${SOCK[c1]}" show protocols all msee | grep -q "peering disabled" &&
  ok "CE received the shutdown communication 'peering disabled'" ||
  not_ok "CE shutdown communication" 
est c3 && ok "other circuit still Established" || not_ok "other circuit after disable"
$API peering c1 200 172.16.0.0/30 172.16.0.4/30 "$KEY2" Enabled &&
  wait_until 30 est c1 && wait_until 20 est c2 &&
  ok "Enabled again: both sessions Established" || not_ok "re-enable"

# ---- deleting another circuit's peering leaves this one alone ------------------
wait_until 10 pstate c1 primary Established
UP1=$(pget c1 "d['properties']['primaryStatus']['upSince'] + ' ' + d['properties']['secondaryStatus']['upSince']")
$API delete c2 && ok "other circuit's peering deleted through the API" ||
  not_ok "delete c2 peering"
wait_until 15 notest c3 && ok "its session went down (context removed)" ||
  not_ok "c3 session down after the delete"
est c1 && est c2 && check_eq "this circuit's sessions untouched (upSince)" "$UP1" \
  "$(pget c1 "d['properties']['primaryStatus']['upSince'] + ' ' + d['properties']['secondaryStatus']['upSince']")" ||
  not_ok "c1/c2 stayed up after the other peering's delete"

# Status writes bump the change counter too; they must not cause rebuilds:
# only the API writes above do (a handful each).
for n in e1 e2; do
  r=$(grep -c "reconcile: .* peering(s) on" "$D/$n.log")
  [ "$r" -le 10 ] && ok "$n rebuilt $r times (API changes only)" ||
    not_ok "$n rebuilt $r times: status writes feed back"
done
# a clean stop (Cease to the CEs) and, under ASan, the leak check at exit
rce_logs_clean
done_testing
