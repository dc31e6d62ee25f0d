#!/usr/bin/env bash
# BGP propagation benchmark: xrouted side by side with BIRD 2, OpenBGPD,
# FRR and GoBGP, driven by the same injector and sink (bench/tools/bgpblast).
#
# Topology: two network namespaces joined by one veth. The daemon under test
# runs alone in xrb-d (10.255.0.1/16, AS 65000); bgpblast runs in xrb-h with
# injector sessions from 10.255.1.K (AS 65001) and sink sessions from
# 10.255.2.K (AS 65002). Daemons accept only: injectors announce, the
# daemon exports to the sinks only, and no daemon touches the kernel FIB
# (BIRD: no kernel protocol; FRR: bgpd -n; OpenBGPD: fib-update no; GoBGP:
# no zebra; xrouted: its daemon has no FIB path yet).
#
# Per scenario and daemon it measures:
#   propagation  first UPDATE byte written -> every sink holds all N
#   withdrawal   first withdrawal written -> every sink holds none
#   CPU          utime+stime of the daemon's processes (/proc/PID/stat)
#   peak RSS     VmHWM summed over the daemon's processes (FRR: bgpd+zebra;
#                OpenBGPD: parent+SE+RDE)
# and the same run with no daemon (injector -> sink directly), the harness's
# own limit. Results: a table on stdout, JSON in bench/results/.
#
#   bench/bgp_bench.sh [--sizes 100k,500k,1M] [--daemons LIST] [--fanout]
#                      [--attrsets LIST] [--quick] [--timeout SEC]
#                      [--repeat R] [--gobgp-full] [--no-build]
#   --daemons   from xrouted,bird,openbgpd,frr,gobgp (default: all installed)
#   --fanout    also run 10 injectors (N/10 each) -> 10 sinks (N each)
#   --attrsets  attribute-set counts to run, e.g. 8,100k (default 8)
#   --quick     100k only, one attribute-set count, shorter settle
#   --timeout   deadline per phase in seconds (default 120)
#   --repeat R  run each cell R times; the table shows the fastest run
#               (the JSON keeps all); helps on a machine shared with others
#   --gobgp-full  also run GoBGP where N x sinks >= 1M (about 100 s per
#               million; skipped by default)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. tests/integ/lib.sh

SIZES=100k,500k,1M
DAEMONS=xrouted,bird,openbgpd,frr,gobgp
ATTRSETS=8
FANOUT=0
TIMEOUT=120
SETTLE=1
GOBGP_FULL=0
REPEAT=1
BUILD=1
DAEMONS_GIVEN=0

usage() { sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 64; }

while [ $# -gt 0 ]; do
  case $1 in
    --sizes) SIZES=$2; shift ;;
    --daemons) DAEMONS=$2; DAEMONS_GIVEN=1; shift ;;
    --attrsets) ATTRSETS=$2; shift ;;
    --fanout) FANOUT=1 ;;
    --quick) SIZES=100k; SETTLE=0.5 ;;
    --timeout) TIMEOUT=$2; shift ;;
    --gobgp-full) GOBGP_FULL=1 ;;
    --repeat) REPEAT=$2; shift ;;
    --no-build) BUILD=0 ;;
    -h|--help) usage ;;
    *) echo "bgp_bench: unknown option '$1'" >&2; usage ;;
  esac
  shift
done

if [ "$(id -u)" -ne 0 ]; then
  echo "bgp_bench: needs root (network namespaces)" >&2; exit 1
fi
bench/deps.sh || exit 1
if [ $BUILD -eq 1 ]; then
  make -s -j2 >/tmp/xr-bench-build.log 2>&1 || {
    cat /tmp/xr-bench-build.log; echo "bgp_bench: build failed" >&2; exit 1; }
fi
XR_BUILD=$ROOT/build
BLAST=$XR_BUILD/bench/tools/bgpblast
[ -x "$BLAST" ] || { echo "bgp_bench: $BLAST missing" >&2; exit 1; }

count() {  # 100k -> 100000
  case $1 in
    *[kK]) echo $((${1%[kK]} * 1000)) ;;
    *[mM]) echo $((${1%[mM]} * 1000000)) ;;
    *) echo "$1" ;;
  esac
}

have_daemon() {
  case $1 in
    xrouted) [ -x "$XR_BUILD/xrouted" ] ;;
    bird) command -v bird >/dev/null ;;
    openbgpd) [ -x /usr/sbin/bgpd ] && /usr/sbin/bgpd -V 2>&1 | grep -q OpenBGPD ;;
    frr) [ -x "$FRR_DIR/bgpd" ] && [ -x "$FRR_DIR/zebra" ] ;;
    gobgp) command -v gobgpd >/dev/null ;;
    *) return 1 ;;
  esac
}

# ---- topology ---------------------------------------------------------------

NS_D=xrb-d
NS_H=xrb-h
D_ADDR=10.255.0.1
NPEERS=10
RUN=$(mktemp -d /tmp/xr-bench.XXXXXX)
chmod 755 "$RUN"
on_exit_rm "$RUN"

ns_create $NS_D && ns_create $NS_H || exit 1
haddrs=""
for k in $(seq $NPEERS); do haddrs+="10.255.1.$k/16 10.255.2.$k/16 "; done
ns_link $NS_D xrb-d0 "$D_ADDR/16" $NS_H xrb-h0 "$haddrs" || exit 1

inj_addr() { echo "10.255.1.$1"; }
snk_addr() { echo "10.255.2.$1"; }

# ---- daemon configurations ----------------------------------------------------
# conf_<daemon> DIR NINJ NSINK writes the configuration into DIR.

conf_bird() {
  local dir=$1 k
  {
    echo "router id $D_ADDR;"
    echo "log \"$dir/bird.log\" { info, warning, error, fatal };"
    echo "protocol device { scan time 60; }"
    echo "template bgp inj { local $D_ADDR as 65000; passive on;"
    echo "  ipv4 { import all; export none; }; }"
    echo "template bgp snk { local $D_ADDR as 65000; passive on;"
    echo "  ipv4 { import none; export all; }; }"
    for k in $(seq "$2"); do
      echo "protocol bgp inj$k from inj { neighbor $(inj_addr $k) as 65001; }"
    done
    for k in $(seq "$3"); do
      echo "protocol bgp snk$k from snk { neighbor $(snk_addr $k) as 65002; }"
    done
  } >"$dir/bird.conf"
}

conf_frr() {
  local dir=$1 k
  {
    echo "frr defaults traditional"
    echo "hostname xrb"
    echo "log file $dir/bgpd.log informational"
    echo "router bgp 65000"
    echo " bgp router-id $D_ADDR"
    echo " no bgp ebgp-requires-policy"
    echo " no bgp default ipv4-unicast"
    for g in INJ:65001 SNK:65002; do
      echo " neighbor ${g%:*} peer-group"
      echo " neighbor ${g%:*} remote-as ${g#*:}"
      echo " neighbor ${g%:*} passive"
      echo " neighbor ${g%:*} advertisement-interval 0"
    done
    for k in $(seq "$2"); do echo " neighbor $(inj_addr $k) peer-group INJ"; done
    for k in $(seq "$3"); do echo " neighbor $(snk_addr $k) peer-group SNK"; done
    echo " address-family ipv4 unicast"
    echo "  neighbor INJ activate"
    echo "  neighbor INJ route-map NONE out"
    echo "  neighbor SNK activate"
    echo "  neighbor SNK route-map NONE in"
    echo " exit-address-family"
    echo "route-map NONE deny 10"
  } >"$dir/frr.conf"
}

conf_openbgpd() {
  local dir=$1 k
  {
    echo "AS 65000"
    echo "router-id $D_ADDR"
    echo "fib-update no"
    echo "listen on $D_ADDR"
    echo "socket \"$dir/bgpd.sock\""
    echo "group \"inj\" {"
    echo "  remote-as 65001"
    echo "  passive"
    for k in $(seq "$2"); do echo "  neighbor $(inj_addr $k)"; done
    echo "}"
    echo "group \"snk\" {"
    echo "  remote-as 65002"
    echo "  passive"
    for k in $(seq "$3"); do echo "  neighbor $(snk_addr $k)"; done
    echo "}"
    echo "deny from any"
    echo "deny to any"
    echo "allow from group \"inj\""
    echo "allow to group \"snk\""
  } >"$dir/bgpd.conf"
  chmod 600 "$dir/bgpd.conf"
}

conf_gobgp() {
  local dir=$1 k
  {
    echo "[global.config]"
    echo "  as = 65000"
    echo "  router-id = \"$D_ADDR\""
    echo "  local-address-list = [\"$D_ADDR\"]"
    echo "[global.apply-policy.config]"
    echo "  export-policy-list = [\"no-injectors\"]"
    echo "  default-export-policy = \"accept-route\""
    echo "[[defined-sets.neighbor-sets]]"
    echo "  neighbor-set-name = \"injectors\""
    echo -n "  neighbor-info-list = ["
    for k in $(seq "$2"); do echo -n "\"$(inj_addr $k)\"$([ $k -lt "$2" ] && echo ,)"; done
    echo "]"
    echo "[[policy-definitions]]"
    echo "  name = \"no-injectors\""
    echo "  [[policy-definitions.statements]]"
    echo "    [policy-definitions.statements.conditions.match-neighbor-set]"
    echo "      neighbor-set = \"injectors\""
    echo "    [policy-definitions.statements.actions]"
    echo "      route-disposition = \"reject-route\""
    for k in $(seq "$2"); do gobgp_nbr "$(inj_addr $k)" 65001; done
    for k in $(seq "$3"); do gobgp_nbr "$(snk_addr $k)" 65002; done
  } >"$dir/gobgp.toml"
}

gobgp_nbr() {
  echo "[[neighbors]]"
  echo "  [neighbors.config]"
  echo "    neighbor-address = \"$1\""
  echo "    peer-as = $2"
  echo "  [neighbors.transport.config]"
  echo "    passive-mode = true"
  echo "    local-address = \"$D_ADDR\""
  echo "  [neighbors.timers.config]"
  echo "    minimum-advertisement-interval = 0"
}

# xrouted has no per-neighbour export policy yet, so it may send routes back
# towards injectors (bgpblast counts them: injectorPrefixesReceived); it has
# no FIB code path in the daemon yet, so nothing reaches the kernel.
conf_xrouted() {
  local dir=$1 k
  {
    echo "router-id $D_ADDR"
    echo "as 65000"
    echo "listen $D_ADDR port 179"
    echo "control \"$dir/xrouted.sock\""
    echo "context \"bench\" {"
    for k in $(seq "$2"); do
      echo "  neighbor $(inj_addr $k) { remote-as 65001 local-address $D_ADDR passive }"
    done
    for k in $(seq "$3"); do
      echo "  neighbor $(snk_addr $k) { remote-as 65002 local-address $D_ADDR passive }"
    done
    echo "}"
  } >"$dir/xrouted.conf"
}

# ---- starting and stopping ----------------------------------------------------
# bstart_<daemon> DIR sets DPIDS (the PIDs whose trees are measured).

bstart_bird() {
  ip netns exec $NS_D bird -f -c "$1/bird.conf" -s "$1/bird.ctl" \
    -P "$1/bird.pid" >"$1/out.log" 2>&1 &
  DPIDS=$!
}

bstart_frr() {
  FRR_BGPD_ARGS="-n" start_frr $NS_D "$1" >/dev/null 2>&1
  DPIDS=$FRR_PIDS
}

bstart_openbgpd() {
  mkdir -p /run/openbgpd      # its chroot; systemd would make it
  ip netns exec $NS_D /usr/sbin/bgpd -d -f "$1/bgpd.conf" \
    >"$1/out.log" 2>&1 &
  DPIDS=$!
}

bstart_gobgp() {
  ip netns exec $NS_D gobgpd -f "$1/gobgp.toml" -t toml \
    --api-hosts 127.0.0.1:50051 --log-plain --log-level=warn \
    >"$1/out.log" 2>&1 &
  DPIDS=$!
}

bstart_xrouted() {
  ip netns exec $NS_D "$XR_BUILD/xrouted" -d -f "$1/xrouted.conf" \
    -s "$1/xrouted.sock" >"$1/out.log" 2>&1 &
  DPIDS=$!
}

start_daemon() {  # name dir
  case $1 in
    bird) bstart_bird "$2" ;;
    frr) bstart_frr "$2" ;;
    openbgpd) bstart_openbgpd "$2" ;;
    gobgp) bstart_gobgp "$2" ;;
    xrouted) bstart_xrouted "$2" ;;
  esac
  on_exit_kill $DPIDS
}

stop_daemon() {
  local p
  kill_pids $DPIDS
  for p in $DPIDS; do _XR_PIDS=("${_XR_PIDS[@]/$p}"); done
}

# ---- one run ------------------------------------------------------------------

RESULTS=()      # JSON objects, one per row
LOADS=()        # 1-minute load average when each run started
ROWS=()         # "scenario|daemon|prop|wd|cpu|rssMB|note"

# run_one SCEN DAEMON N SETS NINJ NSINK: daemon "none" is the baseline.
run_one() {
  local scen=$1 d=$2 n=$3 sets=$4 ninj=$5 nsink=$6
  local dir=$RUN/$d-$n-$sets-$ninj sess=() k out cpu=0 rss=0 note="" rc load bpid
  mkdir -p "$dir"; chmod 755 "$dir"
  if [ "$d" = none ]; then
    # The harness alone: injector k -> sink k over loopback in xrb-h; with
    # several pairs every injector replicates all N (sink-side volume of
    # the fan-out run).
    for k in $(seq "$nsink"); do
      sess+=("sink,listen=$(snk_addr $k):1790")
      sess+=("inject,connect=$(snk_addr $k):1790,local=$(inj_addr $k)")
    done
    [ "$nsink" -gt 1 ] && sess=(-r "${sess[@]}")
  else
    "conf_$d" "$dir" "$ninj" "$nsink"
    start_daemon "$d" "$dir"
    for k in $(seq "$nsink"); do
      sess+=("sink,connect=$D_ADDR:179,local=$(snk_addr $k),peer-as=65000")
    done
    for k in $(seq "$ninj"); do
      sess+=("inject,connect=$D_ADDR:179,local=$(inj_addr $k),peer-as=65000")
    done
  fi
  load=$(cut -d' ' -f1 /proc/loadavg)
  ip netns exec $NS_H "$BLAST" -n "$n" -a "$sets" -w -t "$TIMEOUT" \
    -s "$SETTLE" "${sess[@]}" >"$dir/blast.json" 2>"$dir/blast.log" &
  bpid=$!
  # A daemon that dies (bad configuration, crash) ends the run at once
  # rather than at bgpblast's connect deadline.
  while kill -0 $bpid 2>/dev/null; do
    if [ "$d" != none ] && ! kill -0 ${DPIDS%% *} 2>/dev/null; then
      kill -TERM $bpid 2>/dev/null
      note="daemon exited: $(tail -1 "$dir"/out.log 2>/dev/null)"
    fi
    sleep 0.2
  done
  wait $bpid
  rc=$?
  out=$(cat "$dir/blast.json")
  if [ "$d" != none ]; then
    cpu=$(proc_cpu $DPIDS)
    rss=$(proc_hwm_kb $DPIDS)
    kill -0 ${DPIDS%% *} 2>/dev/null || note=${note:-daemon exited}
    stop_daemon
  fi
  [ -n "$out" ] || out='{"ok":false,"error":"bgpblast printed nothing"}'
  if [ $rc -ne 0 ]; then
    note="${note:+$note; }$(json_get "d['error']" <<<"$out")"
    sed 's/^/#   /' "$dir/blast.log" | tail -5 >&2
  fi
  local prop wd echo bad
  echo=$(json_get "d['injectorPrefixesReceived']" <<<"$out" || echo 0)
  [ "${echo:-0}" -gt 0 ] && note="${note:+$note; }also sent $echo prefixes to injectors"
  bad=$(json_get "sum(s['badPaths'] + s['foreign'] + s['duplicates'] for s in d['sinkStats'])" <<<"$out" || echo 0)
  [ "${bad:-0}" -gt 0 ] && note="${note:+$note; }$bad bad-path/foreign/duplicate prefixes at sinks"
  prop=$(json_get "d['announce']['seconds']" <<<"$out" || echo -1)
  wd=$(json_get "d['withdraw']['seconds']" <<<"$out" || echo -1)
  [ $rc -eq 0 ] || { prop=${prop/-1.000/-1}; }
  ROWS+=("$scen|$d|$prop|$wd|$cpu|$((rss / 1024))|$note")
  RESULTS+=("{\"scenario\":\"$scen\",\"daemon\":\"$d\",\"prefixes\":$n,\"attrSets\":$sets,\"injectors\":$ninj,\"sinks\":$nsink,\"cpuSeconds\":$cpu,\"peakRssKb\":$rss,\"loadAvg\":$load,\"note\":\"${note//\"/}\",\"blast\":$out}")
  printf '# %-22s %-9s prop %7ss  wd %7ss  cpu %6ss  rss %5s MB  load %s %s\n' \
    "$scen" "$d" "$prop" "$wd" "$cpu" "$((rss / 1024))" "$load" "$note" >&2
  LOADS+=("$load")
}

# run_best ARGS...: run_one REPEAT times, keep the fastest row in the table.
run_best() {
  local i first=${#ROWS[@]} best=-1 bp=0 row prop
  for i in $(seq "$REPEAT"); do run_one "$@"; done
  for i in $(seq "$first" $((${#ROWS[@]} - 1))); do
    IFS='|' read -r _ _ prop _ <<<"${ROWS[$i]}"
    if awk -v p="$prop" -v b="$bp" -v have=$((best >= 0)) \
        'BEGIN { exit !(p > 0 && (!have || p < b)) }'; then
      best=$i bp=$prop
    fi
  done
  [ $best -lt 0 ] && best=$((${#ROWS[@]} - 1))
  row=${ROWS[$best]}
  ROWS=("${ROWS[@]:0:$first}" "$row")
}

# ---- the table ------------------------------------------------------------------

ratio() {  # value base
  awk -v v="$1" -v b="$2" 'BEGIN { if (v > 0 && b > 0) printf "%.2f", v / b; else printf "-" }'
}

print_table() {
  local row scen d prop wd cpu rss note base bp bw bc br last=""
  printf '\n%-24s %-9s %10s %6s %10s %6s %8s %6s %8s %6s  %s\n' scenario daemon \
    "prop s" "xBIRD" "withdr s" "xBIRD" "CPU s" "xBIRD" "RSS MB" "xBIRD" note
  for row in "${ROWS[@]}"; do
    IFS='|' read -r scen d prop wd cpu rss note <<<"$row"
    if [ "$scen" != "$last" ]; then
      bp=-1 bw=-1 bc=-1 br=-1
      for base in "${ROWS[@]}"; do
        IFS='|' read -r s2 d2 p2 w2 c2 r2 _ <<<"$base"
        [ "$s2" = "$scen" ] && [ "$d2" = bird ] && { bp=$p2 bw=$w2 bc=$c2 br=$r2; }
      done
      last=$scen
    fi
    if [ "$d" = none ]; then
      printf '%-24s %-9s %10s %6s %10s %6s %8s %6s %8s %6s  %s\n' "$scen" "(none)" \
        "$prop" "" "$wd" "" "" "" "" "" \
        "no daemon: $(awk -v n="$(count "${scen%%/*}")" -v p="$prop" \
          'BEGIN { if (p > 0) printf "%.1f M prefixes/s per sink", n / p / 1e6; else printf "-" }')${note:+; $note}"
    elif awk -v p="$prop" 'BEGIN { exit !(p > 0) }'; then
      printf '%-24s %-9s %10s %6s %10s %6s %8s %6s %8s %6s  %s\n' "$scen" "$d" \
        "$prop" "$(ratio "$prop" "$bp")" "$wd" "$(ratio "$wd" "$bw")" \
        "$cpu" "$(ratio "$cpu" "$bc")" "$rss" "$(ratio "$rss" "$br")" "$note"
    else      # failed or skipped: no ratios from partial numbers
      printf '%-24s %-9s %10s %6s %10s %6s %8s %6s %8s %6s  %s\n' "$scen" "$d" \
        "$([ "$prop" = - ] && echo - || echo fail)" "" "" "" "$cpu" "" "$rss" "" "$note"
    fi
  done
}

# ---- main -------------------------------------------------------------------------

dlist=()
for d in ${DAEMONS//,/ }; do
  if have_daemon "$d"; then
    dlist+=("$d")
  else
    echo "# $d: not installed/built, skipped" >&2
    [ $DAEMONS_GIVEN -eq 1 ] && [ "$d" != xrouted ] && ROWS+=("-|$d|-|-|-|-|not installed")
  fi
done
# BIRD first in each scenario: it is the reference of the ratios.
ordered=()
for d in bird "${dlist[@]}"; do
  [[ " ${dlist[*]} " == *" $d "* ]] && [[ " ${ordered[*]} " != *" $d "* ]] && ordered+=("$d")
done

topos=("1x1")
[ $FANOUT -eq 1 ] && topos+=("10x10")

for size in ${SIZES//,/ }; do
  n=$(count "$size")
  for sets in ${ATTRSETS//,/ }; do
    ns=$(count "$sets")
    for topo in "${topos[@]}"; do
      ninj=${topo%x*} nsink=${topo#*x}
      scen="$size/${sets}sets/$topo"
      run_best "$scen" none "$n" "$ns" "$ninj" "$nsink"
      for d in "${ordered[@]}"; do
        # GoBGP needs ~100 s per million prefixes delivered: skip the
        # cells that would take minutes each unless asked for.
        if [ "$d" = gobgp ] && [ $((n * nsink)) -ge 1000000 ] && [ $GOBGP_FULL -eq 0 ]; then
          ROWS+=("$scen|gobgp|-|-|-|-|skipped: >= 1M prefixes to deliver (~100 s per 1M); --gobgp-full runs it")
          continue
        fi
        run_best "$scen" "$d" "$n" "$ns" "$ninj" "$nsink"
      done
    done
  done
done

print_table
echo
echo "prop: first UPDATE sent -> every sink holds all N; withdr: the same for"
echo "withdrawals. CPU: utime+stime of the daemon's processes; RSS: VmHWM summed"
echo "over them (FRR: bgpd + zebra; OpenBGPD: parent + SE + RDE + RTR)."
echo "10x10: 10 injectors announce N/10 each, 10 sinks must each hold all N."
[ "$REPEAT" -gt 1 ] && echo "Best of $REPEAT runs per cell."
maxload=$(printf '%s\n' "${LOADS[@]}" | sort -g | tail -1)
if awk -v l="${maxload:-0}" -v c="$(nproc)" 'BEGIN { exit !(l > c / 2) }'; then
  echo
  echo "NOTE: load average reached $maxload on $(nproc) CPUs during the runs:"
  echo "other work competed for the CPUs; wall times are inflated, CPU"
  echo "seconds and ratios are the more reliable columns."
fi
mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
{
  echo "{\"date\":\"$stamp\",\"host\":\"$(uname -n)\",\"cpus\":$(nproc),"
  echo "\"versions\":{\"bird\":\"$(bird --version 2>&1 | awk '{print $3}')\","
  echo "\"frr\":\"$("$FRR_DIR/bgpd" --version 2>/dev/null | awk 'NR==1{print $3}')\","
  echo "\"gobgp\":\"$(gobgpd --version 2>/dev/null | awk '{print $3}')\","
  echo "\"openbgpd\":\"$(/usr/sbin/bgpd -V 2>&1 | awk '{print $2}')\"},"
  echo "\"results\":["
  (IFS=,; echo "${RESULTS[*]}")
  echo "]}"
} >"bench/results/bgp-$stamp.json"
echo
echo "JSON: bench/results/bgp-$stamp.json"
