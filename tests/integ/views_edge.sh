#!/usr/bin/env bash
# The troubleshooting views and the connectivity test (issue 6, items 1-2),
# end to end: the API role on a temp store, two edges (primary, secondary)
# that share nothing with it but the store, BIRD CEs. Everything is asked
# through the API with xrctl (express-route list-arp-tables, ...):
#   ARP table: the CE's address with the MAC `ip -n NS link` shows, and
#     the edge's own (Microsoft) row;
#   route table: the CE's prefix, next hop the CE, Path 65010;
#   route table summary: the neighbour, AS 65010, 1 prefix received;
#   stats: bytes in grow by what a ping sent;
#   an absent peering: 400 with the seed's message;
#   connectivity test: N pings per path through each edge are counted per
#     direction on that edge exactly; without a return route the verdict
#     says the traffic does not return; stop removes the nftables table.
set -u
. "$(dirname "$0")/lib.sh"

command -v bird >/dev/null && command -v birdc >/dev/null || {
  skip "views" "BIRD 2 not installed"; done_testing; exit 0; }
command -v nft >/dev/null || {
  skip "views" "nft (nftables) not installed"; done_testing; exit 0; }
xr_built || { not_ok "no $XR_BUILD/xrouted or xrctl"; done_testing; exit 1; }

. "$(dirname "$0")/reconcile_lib.bash"
KEY=views-key-0123
rce_setup || { done_testing; exit 1; }

for n in e1 e2 c1 c2; do ns_create xr-vw-$n || exit 1; done
ns_link xr-vw-e1 p200 "" xr-vw-c1 msee "172.16.0.1/30"
ns_link xr-vw-e2 p200 "" xr-vw-c2 msee "172.16.0.5/30"

SKEY=$($API circuit c1) && [ -n "$SKEY" ] && ok "circuit provisioned" ||
  not_ok "circuit c1"
$API peering c1 200 172.16.0.0/30 172.16.0.4/30 "$KEY" &&
  ok "private peering (VLAN 200)" || not_ok "peering c1"
start_edge xr-vw-e1 e1 primary 10.255.0.1 200=p200
start_edge xr-vw-e2 e2 secondary 10.255.0.2 200=p200
declare -A SOCK
for c in "c1 172.16.0.1 172.16.0.2" "c2 172.16.0.5 172.16.0.6"; do
  set -- $c
  write_ce "$1" "$2" "$3" "$KEY"
  start_bird xr-vw-$1 "$D/$1" || not_ok "BIRD starts in $1"
  SOCK[$1]=$BIRD_SOCK
done
both_up() { bird_established "${SOCK[c1]}" msee &&
  bird_established "${SOCK[c2]}" msee; }
wait_until 60 both_up && ok "both sessions Established" ||
  not_ok "sessions: $(bird_state "${SOCK[c1]}" msee) $(bird_state "${SOCK[c2]}" msee)"

eval "export $($API env)"
X=("$XR_BUILD/xrctl" express-route)
V=(-g rg -n c1 --peering-name AzurePrivatePeering)

# ---- ARP ---------------------------------------------------------------------
mac_of() {  # ns ifname -> aaaa.bbbb.cccc
  ip -n "$1" link show "$2" | awk '/link\/ether/ { print $2 }' |
    sed -E 's/^(..):(..):(..):(..):(..):(..)$/\1\2.\3\4.\5\6/'
}
CE_MAC=$(mac_of xr-vw-c1 msee) E1_MAC=$(mac_of xr-vw-e1 p200)
ARP=$("${X[@]}" list-arp-tables "${V[@]}" --path primary -o json)
G=$(json_get '[r["macAddress"] for r in d["value"]
  if r["ipAddress"] == "172.16.0.1" and r["interface"] == "On-Prem"][0]' <<<"$ARP")
check_eq "ARP: the CE 172.16.0.1 (On-Prem) with its MAC" "$G" "$CE_MAC"
G=$(json_get '[r["macAddress"] for r in d["value"]
  if r["ipAddress"] == "172.16.0.2" and r["interface"] == "Microsoft"][0]' <<<"$ARP")
check_eq "ARP: the edge 172.16.0.2 (Microsoft) with the MAC of p200" "$G" "$E1_MAC"
G=$(json_get '[d["nextLink"], all(isinstance(r["age"], int) for r in d["value"])]' <<<"$ARP")
check_eq "ARP: nextLink null, ages are integers" "$G" "[null, true]"
TXT=$("${X[@]}" list-arp-tables "${V[@]}" --path secondary)
check "ARP text (secondary): header and the CE 172.16.0.5 row" \
  grep -qE "^Age +InterfaceProperty +IpAddress +MacAddress" <<<"$TXT"
check "ARP text: On-Prem 172.16.0.5 $(mac_of xr-vw-c2 msee)" \
  grep -qE "On-Prem +172\.16\.0\.5 +$(mac_of xr-vw-c2 msee)" <<<"$TXT"

# ---- route table and summary -------------------------------------------------
RT=$("${X[@]}" list-route-tables "${V[@]}" --path primary -o json)
G=$(json_get '" ".join(str(r[k]) for r in d["value"] if r["network"] == "10.2.20.0/25"
  for k in ("nextHop", "path", "weight"))' <<<"$RT")
check_eq "route table: 10.2.20.0/25 via 172.16.0.1, Path 65010, weight 0" \
  "$G" "172.16.0.1 65010 0"
TXT=$("${X[@]}" list-route-tables "${V[@]}" --path secondary)
check "route table text (secondary): the seed's Network/NextHop/Path block" \
  grep -qzE "Network : 10\.2\.20\.0/25
NextHop : 172\.16\.0\.5
LocPrf  :
Weight  : 0
Path    : 65010" <<<"$TXT"
SUM=$("${X[@]}" list-route-tables-summary "${V[@]}" --path primary -o json)
G=$(json_get '" ".join(str(d["value"][0][k])
  for k in ("neighbor", "v", "as", "statePfxRcd"))' <<<"$SUM")
check_eq "summary: neighbour 172.16.0.1, v 4, AS 65010, 1 prefix" \
  "$G" "172.16.0.1 4 65010 1"
TXT=$("${X[@]}" list-route-tables-summary "${V[@]}" --path secondary)
check "summary text: Neighbor V AS UpDown StatePfxRcd; 172.16.0.5 4 65010 .. 1" \
  grep -qzE "Neighbor +V +AS +UpDown +StatePfxRcd.*172\.16\.0\.5 +4 +65010 +[0-9:hdmw]+ +1" <<<"$TXT"

# ---- absent peering --------------------------------------------------------------
check_eq "absent peering: 400 and the seed's message" \
  "$($API post c1 MicrosoftPeering/routeTables/primary)" \
  "400 The BGP Peering MicrosoftPeering with Service Key $SKEY is not found."
ERR=$("${X[@]}" list-route-tables -g rg -n c1 --peering-name MicrosoftPeering \
  --path primary 2>&1 >/dev/null)
check "xrctl prints it and fails" grep -q \
  "The BGP Peering MicrosoftPeering with Service Key $SKEY is not found." <<<"$ERR"

# ---- stats -------------------------------------------------------------------------
stat_of() {  # sed, not python: this runs in a polling loop
  "${X[@]}" get-stats -g rg -n c1 -o json |
    sed -nE "s/^ *\"$1\": ([0-9]+),?\$/\1/p"
}
IN0=$(stat_of primarybytesIn)
in_ns xr-vw-c1 ping -c 10 -i 0.05 -s 1000 -q 172.16.0.2 >/dev/null
grown() { [ "$(stat_of primarybytesIn)" -ge $((IN0 + 10000)) ]; }
wait_until 15 grown && ok "circuit stats: primarybytesIn grew by >= 10 x 1000 bytes" ||
  not_ok "primarybytesIn $IN0 -> $(stat_of primarybytesIn)"
TXT=$("${X[@]}" get-stats "${V[@]}")
check "peering stats text: the seed's four columns, numbers under them" \
  grep -qzE "PrimaryBytesIn PrimaryBytesOut SecondaryBytesIn SecondaryBytesOut
-+ -+ -+ -+
 *[1-9][0-9]* +[1-9][0-9]* +[1-9][0-9]* +[1-9][0-9]*" <<<"$TXT"

# ---- connectivity test ---------------------------------------------------------
# on-premises host 10.2.20.1 behind both CEs, Azure-side 10.200.0.1 on both
# edges; each CE reaches it over its own path
for c in "c1 e1 172.16.0.2 172.16.0.1" "c2 e2 172.16.0.6 172.16.0.5"; do
  set -- $c
  ip -n xr-vw-$1 addr add 10.2.20.1/32 dev lo
  ip -n xr-vw-$1 route add 10.200.0.0/24 via "$3" src 10.2.20.1
  ip -n xr-vw-$2 addr add 10.200.0.1/32 dev lo
  ip -n xr-vw-$2 route add 10.2.20.0/25 via "$4"
done
T=(-g rg -n c1 --source-ip 10.2.20.1 --destination-ip 10.200.0.1 --protocol ICMP)
TXT=$("${X[@]}" start-connectivity-test "${T[@]}")
check "test started on both edges" grep -qzE \
  "Primary edge \(Running\):.*Secondary edge \(Running\):" <<<"$TXT"
has_table() { in_ns "$1" nft list table inet xroute_conntest >/dev/null 2>&1; }
check "the counting ACL is in the primary edge's nftables" has_table xr-vw-e1
pings() {  # ns count
  in_ns "$1" ping -c "$2" -i 0.05 -W 1 -q 10.200.0.1 >/dev/null
}
pings xr-vw-c1 7
pings xr-vw-c2 4
R=$("${X[@]}" show-connectivity-test -g rg -n c1 -o json)
G=$(json_get '" ".join("%s %d %d" % (r["path"], r["received"], r["sent"])
  for r in d["value"])' <<<"$R")
check_eq "counts per path and direction: primary 7/7, secondary 4/4" \
  "$G" "primary 7 7 secondary 4 4"
TXT=$("${X[@]}" show-connectivity-test -g rg -n c1)
check "the seed's lines: received and sent on the primary edge" grep -qzF \
  "src 10.2.20.1 dst 10.200.0.1 (received): 7 matches
src 10.200.0.1 dst 10.2.20.1 (sent): 7 matches" <<<"$TXT"
check "verdict: healthy" grep -q "^Verdict (Healthy): matches received and sent on both edges" <<<"$TXT"

# no return route on either edge: received, never sent
ip -n xr-vw-e1 route del 10.2.20.0/25
ip -n xr-vw-e2 route del 10.2.20.0/25
"${X[@]}" start-connectivity-test "${T[@]}" >/dev/null   # restart: counters 0
pings xr-vw-c1 3
pings xr-vw-c2 2
TXT=$("${X[@]}" stop-connectivity-test -g rg -n c1)
check "no return route: received 3, sent 0 on the primary edge" grep -qzF \
  "src 10.2.20.1 dst 10.200.0.1 (received): 3 matches
src 10.200.0.1 dst 10.2.20.1 (sent): 0 matches" <<<"$TXT"
check "secondary: received 2" grep -qF \
  "src 10.2.20.1 dst 10.200.0.1 (received): 2 matches" <<<"$TXT"
check "verdict: traffic does not return" grep -q \
  "^Verdict (NoReturnTraffic): traffic reaches the edge but does not return: check return-path routing" <<<"$TXT"
gone() { ! has_table "$1"; }
check "stop removed the table on the primary edge" gone xr-vw-e1
check "and on the secondary edge" gone xr-vw-e2

# UDP to port 3389 from the primary side only: the port appears in the
# lines; nothing answers UDP there and the secondary sees nothing
"${X[@]}" start-connectivity-test -g rg -n c1 --source-ip 10.2.20.0/25 \
  --destination-ip 10.200.0.1 --protocol UDP --destination-port 3389 >/dev/null
in_ns xr-vw-c1 "$XR_BUILD/tests/tools/udpprobe" send 10.200.0.1 3389 -c 6 \
  -i 10 >/dev/null
in_ns xr-vw-c1 "$XR_BUILD/tests/tools/udpprobe" send 10.200.0.1 3390 -c 2 \
  -i 10 >/dev/null                                 # another port: not counted
TXT=$("${X[@]}" stop-connectivity-test -g rg -n c1)
check "UDP dstport 3389: 6 received on the primary edge" grep -qzF \
  "src 10.2.20.0/25 dst 10.200.0.1 dstport 3389 (received): 6 matches
src 10.200.0.1 srcport 3389 dst 10.2.20.0/25 (sent): 0 matches" <<<"$TXT"
check "verdict: the secondary path is silent" grep -q \
  "^Verdict (OnePathSilent): the secondary edge shows no matches" <<<"$TXT"
check_eq "results after stop: not running (400)" \
  "$($API post c1 AzurePrivatePeering/connectivityTestResults | cut -d' ' -f1)" "400"

# an edge stopping with a test running takes its counters with it
"${X[@]}" start-connectivity-test "${T[@]}" >/dev/null
check "a test runs again on the primary edge" has_table xr-vw-e1
kill_pids "${EDGE_PID[e1]}"
check "the primary edge removed its table when it stopped" gone xr-vw-e1

rce_logs_clean
done_testing
