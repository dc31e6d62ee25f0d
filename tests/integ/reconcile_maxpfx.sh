#!/usr/bin/env bash
# Prefix limit of a private peering realised from the store (spec 3.4):
# a Standard circuit accepts 4,000 IPv4 prefixes per session. The CE on the
# primary path announces 4,001 -> that session closes with Cease / Maximum
# Number of Prefixes Reached (RFC 4486 subcode 1) while the secondary stays
# up; the CE goes back to 10 prefixes -> the edge restarts the session
# after its 60 s retry interval (not earlier, even though BFD flaps with the
# session) and it stays up. Everything through the API.
set -u
. "$(dirname "$0")/lib.sh"

command -v bird >/dev/null && command -v birdc >/dev/null || {
  skip "reconcile max-prefix" "BIRD 2 not installed"; done_testing; exit 0; }
[ -x "$XR_BUILD/xrouted" ] || { not_ok "no $XR_BUILD/xrouted"; done_testing; exit 1; }
. "$(dirname "$0")/reconcile_lib.bash"
KEY=limit-test-key
rce_setup || { done_testing; exit 1; }

for n in e1 e2 c1 c2; do ns_create xr-rcm-$n || exit 1; done
ns_link xr-rcm-e1 p200 "" xr-rcm-c1 msee "172.16.0.1/30"
ns_link xr-rcm-e2 p200 "" xr-rcm-c2 msee "172.16.0.5/30"

$API circuit c1 >/dev/null && $API peering c1 200 172.16.0.0/30 \
  172.16.0.4/30 "$KEY" && ok "Standard circuit with a private peering" ||
  not_ok "circuit and peering"
start_edge xr-rcm-e1 e1 primary 10.255.0.1 200=p200
start_edge xr-rcm-e2 e2 secondary 10.255.0.2 200=p200

declare -A SOCK
write_ce c1 172.16.0.1 172.16.0.2 "$KEY" 4001
write_ce c2 172.16.0.5 172.16.0.6 "$KEY" 10
for c in c1 c2; do
  start_bird xr-rcm-$c "$D/$c" || not_ok "BIRD starts in $c"
  SOCK[$c]=$BIRD_SOCK
done
est() { bird_established "${SOCK[$1]}" msee; }
pget() { $API get c1 | json_get "$1"; }
# re-read on every try: "$(pget ...)" as an argument would be read once
pget_is() { [ "$(pget "$1")" = "$2" ]; }

wait_until 30 est c2 && ok "secondary (10 prefixes) Established" ||
  not_ok "secondary Established"
wait_until 30 bash -c "birdc -s '${SOCK[c1]}' show protocols all msee |
  grep -q 'Received: Maximum number of prefixes reached'" &&
  ok "primary (4,001 prefixes) closed by the edge: Cease / Maximum Number of Prefixes Reached" ||
  not_ok "primary closed with the max-prefix NOTIFICATION"
wait_until 10 bash -c "$API get c1 | grep -q 'maximum prefixes (4000) reached'" &&
  ok "GET: primaryStatus lastError names the limit (4000)" ||
  not_ok "primaryStatus lastError names the limit"
T0=$SECONDS
sleep 3
! est c1 && ok "primary stays down (retry interval 60 s)" || not_ok "primary stayed down"
# one tear-down, then quiet: BFD going down and up again on the CE must not
# restart the session before the retry interval (it used to, in a loop)
check_eq "one limit NOTIFICATION in the retry interval" 1 \
  "$(grep -c 'Received: Maximum number of prefixes reached' "$D/c1/bird.log")"
est c2 && ok "secondary untouched" || not_ok "secondary still Established"
wait_until 10 pget_is "d['properties']['secondaryStatus']['prefixesReceived']" 10 &&
  ok "GET: secondaryStatus prefixesReceived 10" || not_ok "secondary prefixes 10"

write_ce c1 172.16.0.1 172.16.0.2 "$KEY" 10
birdc -s "${SOCK[c1]}" configure >/dev/null
wait_until 75 est c1 && [ $((SECONDS - T0)) -ge 50 ] &&
  ok "under the limit again: primary back after the retry interval ($((SECONDS - T0)) s)" ||
  not_ok "primary back under the limit after the retry interval ($((SECONDS - T0)) s)"
wait_until 20 pget_is "d['properties']['primaryStatus']['prefixesReceived']" 10 &&
  ok "GET: primaryStatus prefixesReceived 10" || not_ok "primary prefixes 10"
rce_logs_clean
done_testing
