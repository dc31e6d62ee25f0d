#!/usr/bin/env bash
# xrouted against FRR (see interop.bash for the topology and checks). FRR
# runs as zebra + bgpd with private sockets in its namespace; routes come
# from `network` statements (import check off) through a route-map that sets
# MED and communities; the 4-octet session uses `local-as 4200000001
# no-prepend replace-as`; a route refresh is `clear bgp ... soft in`.
. "$(dirname "$0")/interop.bash"

PEER_REFRESH_BY=peer

peer_available() { [ -x "$FRR_DIR/bgpd" ] && [ -x "$FRR_DIR/zebra" ] &&
  command -v vtysh >/dev/null && id frr >/dev/null 2>&1; }

peer_start() {
  local dir=$1 n
  {
    echo "frr defaults traditional"
    echo "hostname peer"
    echo "log file $dir/bgpd.log informational"
    echo "router bgp 65001"
    echo " bgp router-id 10.99.0.2"
    echo " bgp log-neighbor-changes"
    echo " no bgp ebgp-requires-policy"
    echo " no bgp network import-check"
    echo " no bgp default ipv4-unicast"
    for n in "10.99.0.1 12076 10.99.0.2" "fd00:99::1 12076 fd00:99::2" \
             "10.99.1.1 65099 10.99.1.2" "10.99.2.1 12076 10.99.2.2" \
             "10.99.3.1 12076 10.99.3.2"; do
      set -- $n
      echo " neighbor $1 remote-as $2"
      echo " neighbor $1 update-source $3"
      echo " neighbor $1 timers connect 2"
      echo " neighbor $1 ttl-security hops 1"
    done
    echo " neighbor 10.99.3.1 local-as 4200000001 no-prepend replace-as"
    echo " address-family ipv4 unicast"
    echo "  network 10.20.0.0/16 route-map SET20"
    echo "  network 10.30.0.0/16"
    for n in 10.99.0.1 10.99.1.1 10.99.2.1 10.99.3.1; do
      echo "  neighbor $n activate"
    done
    echo "  neighbor 10.99.0.1 route-map ONLY20 out"
    echo "  neighbor 10.99.3.1 route-map ONLY30 out"
    echo " exit-address-family"
    echo " address-family ipv6 unicast"
    echo "  network 2001:db8:20::/48 route-map SET20"
    echo "  neighbor fd00:99::1 activate"
    echo " exit-address-family"
    echo "ip prefix-list P20 seq 5 permit 10.20.0.0/16"
    echo "ip prefix-list P30 seq 5 permit 10.30.0.0/16"
    echo "route-map SET20 permit 10"
    echo " set metric 50"
    echo " set community 65001:100"
    echo " set large-community 65001:1:2"
    echo "route-map ONLY20 permit 10"
    echo " match ip address prefix-list P20"
    echo "route-map ONLY30 permit 10"
    echo " match ip address prefix-list P30"
  } >"$dir/frr.conf"
  start_frr "$NS_P" "$dir"
  FRR_D=$dir
}

peer_nbr() {  # ADDR EXPR on FRR's neighbour JSON 'n'
  frr_vtysh "$FRR_D" "show bgp neighbors $1 json" 2>/dev/null |
    json_get "(lambda n: $2)(d['$1'])"
}

peer_up() {
  case $1 in
    v4) frr_established "$FRR_D" 10.99.0.1 ;;
    v6) frr_established "$FRR_D" fd00:99::1 ;;
    as4) frr_established "$FRR_D" 10.99.3.1 ;;
  esac
}

peer_route() {
  local afi=ipv4 from=10.99.0.1
  [[ $1 == *:* ]] && afi=ipv6 from=fd00:99::1
  frr_vtysh "$FRR_D" "show bgp $afi unicast $1 json" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
for p in d.get("paths", []):
    if p.get("peer", {}).get("peerId") == sys.argv[1]:
        print("path=%s comm=%s" % (p["aspath"]["string"],
            ",".join(p.get("community", {}).get("list", []))))
        break
' "$from"
}

frr_af_cmd() {
  frr_vtysh "$FRR_D" "configure terminal" "router bgp 65001" \
    "address-family ipv4 unicast" "$1" >/dev/null
}
peer_withdraw() { frr_af_cmd "no network 10.20.0.0/16 route-map SET20"; }
peer_announce() { frr_af_cmd "network 10.20.0.0/16 route-map SET20"; }

peer_refresh_count() {
  peer_nbr 10.99.0.1 "(n['messageStats']['routeRefreshSent'], n['messageStats']['updatesRecv'])"
}
peer_refresh_start() {
  peer_refresh_count
  frr_vtysh "$FRR_D" "clear bgp ipv4 unicast 10.99.0.1 soft in" >/dev/null
}

# FRR keeps the last error of a session on its neighbour (lastErrorCodeSubcode
# "0202" is OPEN Message Error / Bad Peer AS), but an OPEN exchange that
# ran on FRR's accepted ("doppelganger") connection only reaches its log.
frr_log_has() { grep -q "$1" "$FRR_D/bgpd.log"; }
peer_sent_bad_as() {
  frr_log_has "NOTIFICATION: sent to neighbor 10.99.1.1 2/2" ||
    [ "$(peer_nbr 10.99.1.1 "(n.get('lastErrorCodeSubcode'), n.get('lastResetDueTo'))")" = '["0202", "BGP Notification send"]' ]
}
peer_got_bad_as() {
  frr_log_has "NOTIFICATION: received from neighbor 10.99.2.1 2/2" ||
    [ "$(peer_nbr 10.99.2.1 "(n.get('lastErrorCodeSubcode'), n.get('lastResetDueTo'))")" = '["0202", "BGP Notification received"]' ]
}

peer_diag() {
  local a=10.99.1.1
  [ "$1" = xrwrong ] && a=10.99.2.1
  diag "FRR's view of $a:" "$(peer_nbr $a "dict((k, v) for k, v in n.items() if 'ast' in k or k in ('bgpState', 'messageStats'))")" \
    "$(grep -i "$a" "$FRR_D/bgpd.log" | tail -8)"
}

interop_main frr
