#!/usr/bin/env bash
# TCP-MD5 (RFC 2385) through the API (issue 4): the CEs of a circuit (BIRD
# on the primary path, FRR on the secondary) use key K; the peering is
# created with sharedKey X != K:
#   - no session on either path (the edge's kernel drops the CEs' segments:
#     TcpExtTCPMD5Failure counts them), GET shows both not Established,
#     never up, with a hint naming TCP-MD5; another circuit's session
#     stays Established throughout;
#   - xrctl peering update --shared-key K (a PUT through the API) -> both
#     paths come up; the other circuit's session untouched (same upSince,
#     0 flaps);
#   - CE1 alone changes to a wrong key -> only the primary goes down, the
#     secondary stays Established; CE1 back on K -> primary up again, the
#     secondary's upSince unchanged.
set -u
. "$(dirname "$0")/lib.sh"

command -v bird >/dev/null && command -v birdc >/dev/null || {
  skip "reconcile MD5" "BIRD 2 not installed"; done_testing; exit 0; }
[ -x "$FRR_DIR/bgpd" ] || { skip "reconcile MD5" "FRR not installed"; done_testing; exit 0; }
xr_built || { not_ok "no $XR_BUILD/xrouted or xrctl"; done_testing; exit 1; }
. "$(dirname "$0")/reconcile_lib.bash"
K=right-key-0123 X=wrong-key-4567 K3=other-circuit-key
rce_setup || { done_testing; exit 1; }

for n in e1 e2 c1 c2 c3; do ns_create xr-md5-$n || exit 1; done
ns_link xr-md5-e1 p200 "" xr-md5-c1 msee "172.16.0.1/30"
ns_link xr-md5-e2 p200 "" xr-md5-c2 msee "172.16.0.5/30"
ns_link xr-md5-e1 p300 "" xr-md5-c3 msee "172.16.1.1/30"

$API circuit c1 >/dev/null && $API peering c1 200 172.16.0.0/30 \
  172.16.0.4/30 "$X" && ok "circuit c1: peering with sharedKey X (CEs use K)" ||
  not_ok "circuit c1"
$API circuit c2 >/dev/null && $API peering c2 300 172.16.1.0/30 \
  172.16.1.4/30 "$K3" && ok "circuit c2: peering with its own key" ||
  not_ok "circuit c2"
start_edge xr-md5-e1 e1 primary 10.255.0.1 200=p200,300=p300
start_edge xr-md5-e2 e2 secondary 10.255.0.2 200=p200

write_ce c1 172.16.0.1 172.16.0.2 "$K"
write_ce c3 172.16.1.1 172.16.1.2 "$K3"
start_bird_ce xr-md5-c1 c1
start_bird_ce xr-md5-c3 c3
write_frr "$D/c2" 172.16.0.5 172.16.0.6 "$K"
start_frr xr-md5-c2 "$D/c2" || not_ok "FRR starts in c2"
est() { ce_est "$@"; }
notest() { ce_down "$@"; }
pget() { $API get "$1" "$2"; }
st() { pget "$1" "d['properties']['$2Status']['$3']"; }
st_is() { [ "$(st "$1" "$2" "$3")" = "$4" ]; }
st2() {  # NAME KEY: KEY of the primary and the secondary status
  pget "$1" "str(d['properties']['primaryStatus'].get('$2')) + ' ' + str(d['properties']['secondaryStatus'].get('$2'))"; }
reported() { pget c1 "d['properties']['primaryStatus']['state'] + d['properties']['secondaryStatus']['state']" >/dev/null; }
md5fail() {  # the edge kernel's count of segments with a wrong MD5 digest
  ip netns exec "$1" cat /proc/net/netstat | awk '$1 == "TcpExt:" {
    if (!n) { for (i = 2; i <= NF; i++) if ($i == "TCPMD5Failure") n = i }
    else { print $n; exit } }'
}
md5seen() { [ "$(md5fail "$1")" -gt 0 ]; }

# ---- wrong key: nothing comes up ---------------------------------------------------
wait_until 40 est c3 && ok "other circuit's session Established" ||
  not_ok "other circuit's session Established"
wait_until 20 reported && ok "both edges report the c1 peering" ||
  not_ok "status of c1 reported"
wait_until 20 md5seen xr-md5-e1 && wait_until 20 md5seen xr-md5-e2 &&
  ok "both edges' kernels drop the CEs' segments (TcpExtTCPMD5Failure $(md5fail xr-md5-e1), $(md5fail xr-md5-e2))" ||
  not_ok "TCP-MD5 failures counted on the edges"
sleep 4	# several connect retries (2 s on the CEs, 5 s on the edge)
notest c1 && notest c2 && ok "sharedKey X vs K: no session on either path" ||
  not_ok "a session came up with mismatched keys"
for p in primary secondary; do
  read -r s f u < <(pget c1 "' '.join(str(d['properties']['${p}Status'].get(k, '')) for k in ('state', 'flaps', 'upSince'))")
  case $s in
    Idle|Connect|Active|OpenSent) [ "$f" = 0 ] && [ -z "$u" ] &&
      ok "GET: ${p}Status $s, never up (flaps 0, no upSince)" ||
      not_ok "GET: ${p}Status $s flaps '$f' upSince '$u'" ;;
    *) not_ok "GET: ${p}Status is '$s' with mismatched keys" ;;
  esac
done
md5hint() { [ "$(pget c1 "str('TCP-MD5' in d['properties']['primaryStatus'].get('hint', '')) + ' ' + str('TCP-MD5' in d['properties']['secondaryStatus'].get('hint', ''))")" = "True True" ]; }
wait_until 10 md5hint && ok "GET: both paths' hint names TCP-MD5 (the kernel rejects the segments)" ||
  not_ok "GET hint: $(pget c1 "d['properties']['primaryStatus'].get('hint')")"
eval "export $($API env)"
"$XR_BUILD/xrctl" peering show -g rg --circuit-name c1 -n AzurePrivatePeering |
  grep -qE "^PrimarySession  +: (Idle|Connect|Active|OpenSent), neighbor 172\.16\.0\.1, 0 flaps; hint: TCP-MD5 segments rejected on this edge" &&
  ok "xrctl peering show: primary not Established, 0 flaps, the TCP-MD5 hint" ||
  not_ok "xrctl peering show primary session line"
read -r UP3 FL3 < <(pget c2 "d['properties']['primaryStatus']['upSince'] + ' ' + str(d['properties']['primaryStatus']['flaps'])")
[ -n "$UP3" ] && [ "$FL3" = 0 ] && ok "other circuit: upSince $UP3, 0 flaps" ||
  not_ok "other circuit's status ($UP3, $FL3)"

# ---- the key fixed through the API (xrctl peering update = PUT) --------------------
"$XR_BUILD/xrctl" peering update -g rg --circuit-name c1 \
  --peering-type AzurePrivatePeering --shared-key "$K" >/dev/null &&
  ok "xrctl peering update --shared-key K" || not_ok "xrctl peering update"
check_eq "the update kept the rest of the peering" "200 172.16.0.4/30 65010" \
  "$(pget c1 "str(d['properties']['vlanId']) + ' ' + d['properties']['secondaryPeerAddressPrefix'] + ' ' + str(d['properties']['peerASN'])")"
wait_until 30 est c1 && wait_until 30 est c2 &&
  ok "both paths Established with the right key (BIRD primary, FRR secondary)" ||
  not_ok "sessions up after the key fix"
both_est() { [ "$(st2 c1 state)" = "Established Established" ]; }
wait_until 15 both_est && ok "GET: both paths Established" ||
  not_ok "GET after the key fix"
check_eq "no hint once Established" "None None" "$(st2 c1 hint)"
other() { pget c2 "d['properties']['primaryStatus']['upSince'] + ' ' + str(d['properties']['primaryStatus']['flaps'])"; }
est c3 && check_eq "other circuit untouched (same upSince, 0 flaps)" \
  "$UP3 0" "$(other)" ||
  not_ok "other circuit's session went down"

# ---- CE1 alone on a wrong key: only the primary goes down --------------------------
UPS=$(st c1 secondary upSince)
write_ce c1 172.16.0.1 172.16.0.2 "$X-ce"
birdc -s "${SOCK[c1]}" configure >/dev/null
wait_until 20 notest c1 && ok "CE1 on a wrong key: primary down" ||
  not_ok "primary down after CE1's key change"
st_not() { ! st_is "$@"; }
wait_until 20 st_not c1 primary state Established &&
  ok "GET: primaryStatus $(st c1 primary state)" ||
  not_ok "GET primary still Established"
sleep 3
est c2 && check_eq "secondary stays Established (same upSince)" "$UPS" \
  "$(st c1 secondary upSince)" || not_ok "secondary went down with CE1"
write_ce c1 172.16.0.1 172.16.0.2 "$K"
birdc -s "${SOCK[c1]}" configure >/dev/null
wait_until 30 est c1 && wait_until 15 st_is c1 primary state Established &&
  ok "CE1 back on K: primary Established again" || not_ok "primary back"
check_eq "flaps: primary 1, secondary 0" "1 0" "$(st2 c1 flaps)"
check_eq "secondary's upSince unchanged through CE1's outage" "$UPS" \
  "$(st c1 secondary upSince)"
est c3 && check_eq "other circuit still untouched" "$UP3 0" "$(other)" ||
  not_ok "other circuit after CE1's outage"
rce_logs_clean
done_testing
