# Shared by the reconcile_*.sh tests: the API role on a temp SQLite store,
# edges that follow it (xrouted --role edge --db), BIRD CEs from a template.
# Source after lib.sh. Sets D (temp dir, removed at exit) and API (the
# reconcile_api.py step runner). RCE_API_ARGS and RCE_EDGE_ARGS add
# options to the API role and to every edge (e.g. -v).

rce_setup() {  # -> 0, or 1 after reporting
  D=$(mktemp -d /tmp/xr-rce.XXXXXX); on_exit_rm "$D"
  chmod 755 "$D"
  API="python3 $XR_ROOT/tests/integ/reconcile_api.py $D/state.json"
  export XR_ADMIN_TOKEN=admin-$RANDOM$RANDOM$RANDOM
  "$XR_BUILD/xrouted" --role api --db "$D/xroute.db" --listen 127.0.0.1:0 \
    --port-file "$D/port" --data "$XR_ROOT/data" ${RCE_API_ARGS:-} \
    >"$D/api.log" 2>&1 &
  API_PID=$!
  on_exit_kill $API_PID
  wait_until 15 test -s "$D/port" || { not_ok "API role starts"; return 1; }
  $API init "$(cat "$D/port")" && ok "API: subscriptions, tokens, group" ||
    { not_ok "API init"; return 1; }
}

declare -A EDGE_PID
start_edge() {  # ns name path router-id map [more xrouted options]
  ip netns exec "$1" "$XR_BUILD/xrouted" --role edge -d --db "$D/xroute.db" \
    --path "$3" --peering-location "Silicon Valley" --router-id "$4" \
    --interface-map "$5" --data "$XR_ROOT/data" -s "$D/$2.sock" \
    ${RCE_EDGE_ARGS:-} "${@:6}" >"$D/$2.log" 2>&1 &
  EDGE_PID[$2]=$!
  on_exit_kill $!
}

# start_gw NS NAME GATEWAY-ID [more xrouted options]: the gateway role;
# its log and sanitizer check go with the edges'.
start_gw() {
  ip netns exec "$1" "$XR_BUILD/xrouted" --role gateway -d \
    --db "$D/xroute.db" --gateway "$3" -s "$D/$2.sock" ${RCE_EDGE_ARGS:-} \
    "${@:4}" \
    >"$D/$2.log" 2>&1 &
  EDGE_PID[$2]=$!
  on_exit_kill $!
}

# write_ce NAME LOCAL PEER KEY [ROUTES]: BIRD config in $D/NAME announcing
# the static routes of $D/NAME/routes.conf (default: 10.2.20.0/25 only;
# ROUTES N: N /24s from 10.64.0.0 instead).
write_ce() {
  local i n=${5:-0}
  mkdir -p "$D/$1"
  if [ "$n" -gt 0 ]; then
    for ((i = 0; i < n; i++)); do
      echo "route 10.$((64 + i / 256)).$((i % 256)).0/24 blackhole;"
    done >"$D/$1/routes.conf"
  else
    echo "route 10.2.20.0/25 blackhole;" >"$D/$1/routes.conf"
  fi
  sed -e "s|@DIR@|$D/$1|g" -e "s|@LOCAL@|$2|g" -e "s|@PEER@|$3|g" \
    -e "s|@KEY@|$4|g" >"$D/$1/bird.conf" <<'EOF'
router id @LOCAL@;
log "@DIR@/bird.log" all;
protocol device { scan time 10; }
protocol static {
	ipv4;
include "@DIR@/routes.conf";
}
protocol bfd { interface "msee" { min rx interval 300 ms; min tx interval 300 ms; }; }
protocol bgp msee {
	local @LOCAL@ as 65010;
	neighbor @PEER@ as 12076;
	password "@KEY@";
	hold time 180;
	bfd on;
	connect retry time 2;
	error wait time 1, 5;
	ipv4 { import all; export where source = RTS_STATIC; };
}
EOF
}

# write_ce6 NAME LOCAL6 PEER6 KEY [ROUTES]: add an IPv6 session "msee6" to
# the BIRD CE of write_ce, announcing $D/NAME/routes6.conf (default
# fd99:20::/48 only; ROUTES N: N /64s under fd99:64::/48 instead).
write_ce6() {
  local i n=${5:-0}
  if [ "$n" -gt 0 ]; then
    for ((i = 0; i < n; i++)); do
      printf 'route fd99:64:0:%x::/64 blackhole;\n' "$i"
    done >"$D/$1/routes6.conf"
  else
    echo "route fd99:20::/48 blackhole;" >"$D/$1/routes6.conf"
  fi
  grep -q "protocol bgp msee6" "$D/$1/bird.conf" && return 0
  sed -e "s|@DIR@|$D/$1|g" -e "s|@LOCAL@|$2|g" -e "s|@PEER@|$3|g" \
    -e "s|@KEY@|$4|g" >>"$D/$1/bird.conf" <<'EOF'
protocol static s6 {
	ipv6;
include "@DIR@/routes6.conf";
}
protocol bgp msee6 {
	local @LOCAL@ as 65010;
	neighbor @PEER@ as 12076;
	password "@KEY@";
	hold time 180;
	connect retry time 2;
	error wait time 1, 5;
	ipv6 { import all; export where source = RTS_STATIC; };
}
EOF
}

# write_frr DIR LOCAL PEER KEY: an FRR CE (AS 65010) announcing
# 10.2.20.0/25 to the edge at PEER over TCP-MD5 KEY; start it with
# start_frr NS DIR (lib.sh).
declare -A SOCK FRR_PEER	# by CE name: BIRD control socket, FRR's edge
write_frr() {
  FRR_PEER[$(basename "$1")]=$3
  mkdir -p "$1"
  cat >"$1/frr.conf" <<EOF
frr defaults traditional
hostname $(basename "$1")
router bgp 65010
 bgp router-id $2
 no bgp ebgp-requires-policy
 no bgp network import-check
 neighbor $3 remote-as 12076
 neighbor $3 password $4
 neighbor $3 timers 60 180
 neighbor $3 timers connect 2
 neighbor $3 update-source $2
 address-family ipv4 unicast
  network 10.2.20.0/25
 exit-address-family
EOF
}

# frr_key DIR PEER KEY: change the FRR CE's MD5 key for PEER at run time
frr_key() {
  frr_vtysh "$1" "configure terminal" "router bgp 65010" \
    "neighbor $2 password $3" >/dev/null
}

# start_bird_ce NS NAME: BIRD with $D/NAME/bird.conf (write_ce) in NS
start_bird_ce() {
  start_bird "$1" "$D/$2" || not_ok "BIRD starts in $2"
  SOCK[$2]=$BIRD_SOCK
}

# ce_est NAME [PROTO]: the CE's session to its edge is Established (an FRR
# CE of write_frr, else BIRD protocol PROTO, default msee); ce_down: not
ce_est() {
  if [ -n "${FRR_PEER[$1]:-}" ]; then frr_established "$D/$1" "${FRR_PEER[$1]}"
  else bird_established "${SOCK[$1]}" "${2:-msee}"; fi
}
ce_down() { ! ce_est "$@"; }

# stop the edges and the API, then look for sanitizer reports in their logs
rce_logs_clean() {
  local n
  kill_pids "${EDGE_PID[@]}" "$API_PID"
  for n in "${!EDGE_PID[@]}" api; do
    if grep -E "Sanitizer|runtime error" "$D/$n.log" >/dev/null; then
      not_ok "$n log has a sanitizer report"
      diag "$(grep -E -A24 "Sanitizer|runtime error" "$D/$n.log" | head -40)"
    else
      ok "$n log clean after stop"
    fi
  done
}
