#!/usr/bin/env bash
# xrouted against GoBGP (see interop.bash for the topology and checks).
# gobgpd runs in its namespace with its gRPC API on 127.0.0.1:50071 there;
# routes are added to its global RIB (so every session carries them; the
# checks pick routes by the neighbour they came from); the 4-octet session
# sets the neighbour's local-as. GoBGP's softresetin re-applies policy to
# its Adj-RIB-In and sends no ROUTE-REFRESH (gobgp 3.10), so here xrouted
# asks (xrctl neighbor ... clear soft) and GoBGP must answer.
. "$(dirname "$0")/interop.bash"

PEER_REFRESH_BY=xrouted
GPORT=50071

peer_available() { command -v gobgpd >/dev/null && command -v gobgp >/dev/null; }

gobgp_nbr_conf() {  # addr peer-as local-addr [afi] [local-as]
  echo "[[neighbors]]"
  echo "  [neighbors.config]"
  echo "    neighbor-address = \"$1\""
  echo "    peer-as = $2"
  [ -n "${5:-}" ] && echo "    local-as = $5"
  echo "  [neighbors.transport.config]"
  echo "    local-address = \"$3\""
  echo "  [neighbors.timers.config]"
  echo "    connect-retry = 2"
  echo "  [neighbors.ttl-security.config]"
  echo "    enabled = true"
  echo "    ttl-min = 255"
  echo "  [[neighbors.afi-safis]]"
  echo "    [neighbors.afi-safis.config]"
  echo "      afi-safi-name = \"${4:-ipv4-unicast}\""
}

peer_start() {
  local dir=$1 p
  {
    echo "[global.config]"
    echo "  as = 65001"
    echo "  router-id = \"10.99.0.2\""
    echo "  local-address-list = [\"10.99.0.2\", \"10.99.1.2\", \"10.99.2.2\", \"10.99.3.2\", \"fd00:99::2\"]"
    gobgp_nbr_conf 10.99.0.1 12076 10.99.0.2
    gobgp_nbr_conf fd00:99::1 12076 fd00:99::2 ipv6-unicast
    gobgp_nbr_conf 10.99.1.1 65099 10.99.1.2
    gobgp_nbr_conf 10.99.2.1 12076 10.99.2.2
    gobgp_nbr_conf 10.99.3.1 12076 10.99.3.2 ipv4-unicast 4200000001
  } >"$dir/gobgp.toml"
  GOBGP_LOG=$dir/gobgpd.log
  start_gobgp "$NS_P" "$dir" $GPORT || return 1
  for p in 10.20.0.0/16 2001:db8:20::/48; do
    gobgp_ "$NS_P" $GPORT global rib add "$p" origin igp med 50 \
      community 65001:100 large-community 65001:1:2 \
      -a "$([[ $p == *:* ]] && echo ipv6 || echo ipv4)" || return 1
  done
  gobgp_ "$NS_P" $GPORT global rib add 10.30.0.0/16 origin igp -a ipv4
}

gobgp_nbr() {  # ADDR EXPR on GoBGP's neighbour JSON 'n'
  gobgp_ "$NS_P" $GPORT neighbor "$1" -j 2>/dev/null |
    json_get "(lambda n: $2)(d)"
}

# session_state 6 is ESTABLISHED in GoBGP's API enumeration.
peer_up() {
  local a
  case $1 in v4) a=10.99.0.1 ;; v6) a=fd00:99::1 ;; as4) a=10.99.3.1 ;; esac
  [ "$(gobgp_nbr $a "n['state']['session_state']")" = 6 ]
}

peer_route() {
  local af=ipv4 from=10.99.0.1
  [[ $1 == *:* ]] && af=ipv6 from=fd00:99::1
  gobgp_ "$NS_P" $GPORT global rib -a $af "$1" -j 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
for paths in d.values():
    for p in paths:
        if p.get("neighbor-ip") != sys.argv[1]:
            continue
        path, comm = [], []
        for a in p.get("attrs", []):
            if a.get("type") == 2:
                for s in a.get("as_paths", []):
                    path += [str(x) for x in s.get("asns", [])]
            if a.get("type") == 8:
                comm += ["%d:%d" % (c >> 16, c & 0xffff)
                         for c in a.get("communities", [])]
        print("path=%s comm=%s" % (" ".join(path), ",".join(comm)))
        sys.exit(0)
' "$from"
}

peer_withdraw() { gobgp_ "$NS_P" $GPORT global rib del 10.20.0.0/16 -a ipv4; }
peer_announce() {
  gobgp_ "$NS_P" $GPORT global rib add 10.20.0.0/16 origin igp med 50 \
    community 65001:100 large-community 65001:1:2 -a ipv4
}

peer_refresh_count() {
  gobgp_nbr 10.99.0.1 "n['state']['messages']['received'].get('refresh', 0)"
}
peer_refresh_start() {
  peer_refresh_count
  xrctl_ "$XR_SOCK" neighbor 10.99.0.2 clear soft >/dev/null
}

peer_sent_bad_as() {
  [ "$(gobgp_nbr 10.99.1.1 "n['state']['messages']['sent'].get('notification', 0) > 0")" = true ] &&
    grep -q "as number mismatch expected 65099, received 12076" "$GOBGP_LOG"
}
peer_got_bad_as() {
  [ "$(gobgp_nbr 10.99.2.1 "n['state']['messages']['received'].get('notification', 0) > 0")" = true ]
}

interop_main gobgp
