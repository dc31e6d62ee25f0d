#!/usr/bin/env bash
# xrouted against BIRD 2 (see interop.bash for the topology and checks).
# BIRD originates from static blackhole routes; the export filters set MED,
# communities and large communities; a route refresh is BIRD's
# `reload in`, which sends ROUTE-REFRESH to a peer that supports it.
. "$(dirname "$0")/interop.bash"

PEER_REFRESH_BY=peer

peer_available() { command -v bird >/dev/null && command -v birdc >/dev/null; }

peer_start() {
  local dir=$1
  cat >"$dir/bird.conf" <<EOF2
router id 10.99.0.2;
log "$dir/bird.log" all;
protocol device { }
protocol static s20 { ipv4; route 10.20.0.0/16 blackhole; }
protocol static s30 { ipv4; route 10.30.0.0/16 blackhole; }
protocol static s20v6 { ipv6; route 2001:db8:20::/48 blackhole; }
filter set20 {
  if proto = "s20" || proto = "s20v6" then {
    bgp_med = 50;
    bgp_community.add((65001,100));
    bgp_large_community.add((65001,1,2));
    accept;
  }
  reject;
}
filter only30 { if proto = "s30" then accept; reject; }
template bgp xr { connect retry time 2; error wait time 1,4; ttl security on; }
protocol bgp xr4 from xr { local 10.99.0.2 as 65001; neighbor 10.99.0.1 as 12076;
  ipv4 { import all; export filter set20; }; }
protocol bgp xr6 from xr { local fd00:99::2 as 65001; neighbor fd00:99::1 as 12076;
  ipv6 { import all; export filter set20; }; }
protocol bgp badas from xr { local 10.99.1.2 as 65001; neighbor 10.99.1.1 as 65099;
  ipv4 { import none; export none; }; }
protocol bgp xrwrong from xr { local 10.99.2.2 as 65001; neighbor 10.99.2.1 as 12076;
  ipv4 { import none; export none; }; }
protocol bgp wide from xr { local 10.99.3.2 as 4200000001; neighbor 10.99.3.1 as 12076;
  ipv4 { import all; export filter only30; }; }
EOF2
  start_bird "$NS_P" "$dir"
}

peer_up() {
  case $1 in
    v4) bird_established "$BIRD_SOCK" xr4 ;;
    v6) bird_established "$BIRD_SOCK" xr6 ;;
    as4) bird_established "$BIRD_SOCK" wide ;;
  esac
}

# BIRD prints "BGP.as_path: 12076" and "BGP.community: (12076,50002)".
peer_route() {
  local proto=xr4
  [[ $1 == *:* ]] && proto=xr6
  birdc -s "$BIRD_SOCK" show route "$1" all protocol $proto 2>/dev/null | awk '
    /BGP.as_path:/ { sub(/.*BGP.as_path: */, ""); path = $0 }
    /BGP.community:/ { sub(/.*BGP.community: */, ""); gsub(/[()]/, "");
      gsub(/ /, ","); c = $0; n = split(c, a, ",");
      comm = ""; for (i = 1; i < n; i += 2) comm = comm (comm ? "," : "") a[i] ":" a[i+1] }
    END { if (path != "") printf "path=%s comm=%s\n", path, comm }'
}

peer_withdraw() { birdc -s "$BIRD_SOCK" disable s20 >/dev/null; }
peer_announce() { birdc -s "$BIRD_SOCK" enable s20 >/dev/null; }

# "Import updates: received N" of xr4 counts UPDATEs, duplicates included.
peer_refresh_count() {
  birdc -s "$BIRD_SOCK" show protocols all xr4 2>/dev/null |
    awk '/Import updates:/ { print $3; exit }'
}
peer_refresh_start() {
  peer_refresh_count
  birdc -s "$BIRD_SOCK" reload in xr4 >/dev/null
}

peer_sent_bad_as() { birdc -s "$BIRD_SOCK" show protocols all badas 2>/dev/null |
  grep -q "Last error: *BGP Error: Bad peer AS"; }
peer_got_bad_as() { birdc -s "$BIRD_SOCK" show protocols all xrwrong 2>/dev/null |
  grep -q "Last error: *Received: Bad peer AS"; }

interop_main bird
