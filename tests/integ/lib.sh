# Shared helpers for xroute integration tests and the benchmark (bash,
# sourced). Everything a test creates is registered for cleanup and removed
# by an EXIT trap: processes by PID, network namespaces by name, scratch
# directories. Waits poll until a deadline; nothing sleeps blindly.
#
#   . "$(dirname "$0")/lib.sh"
#   ns_create xr-foo-a; ns_create xr-foo-b
#   ns_link xr-foo-a fa0 "10.99.0.1/24 fd00:99::1/64" \
#           xr-foo-b fb0 "10.99.0.2/24 fd00:99::2/64"
#   start_bird xr-foo-b "$dir" "$conf"        # sets BIRD_PID, BIRD_SOCK
#   wait_until 20 bird_established "$BIRD_SOCK" xr1 && ok "..." || not_ok "..."
#   done_testing
#
# Peer daemons: BIRD 2 (bird -f, birdc -s), FRR (zebra + bgpd with their own
# sockets, queried with vtysh --vty_socket), GoBGP (gobgpd, gobgp -p), and
# xrouted ($XR_BUILD/xrouted, queried with $XR_BUILD/xrctl -s SOCK -j).

XR_ROOT=${XR_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
XR_BUILD=${XR_BUILD:-$XR_ROOT/build}
FRR_DIR=${FRR_DIR:-/usr/lib/frr}

# ---- TAP ----------------------------------------------------------------

T_N=0
T_FAIL=0

ok() { T_N=$((T_N + 1)); echo "ok $T_N - $*"; }
not_ok() { T_N=$((T_N + 1)); T_FAIL=$((T_FAIL + 1)); echo "not ok $T_N - $*"; }
skip() { T_N=$((T_N + 1)); echo "ok $T_N - $1 # SKIP $2"; }   # what, why
diag() { local a l; for a in "$@"; do
  while IFS= read -r l; do echo "# $l"; done <<<"$a"; done; }

# check_eq WHAT GOT WANT: one TAP line; on failure shows both values.
check_eq() {
  if [ "$2" == "$3" ]; then
    ok "$1 ($2)"
  else
    not_ok "$1"
    diag "got:  '$2'" "want: '$3'"
    return 1
  fi
}

# check WHAT CMD...: ok when CMD succeeds.
check() {
  local what=$1; shift
  if "$@"; then ok "$what"; else not_ok "$what"; return 1; fi
}

# tap_relay FILE: re-number the TAP lines of a sub-program's output FILE
# into ours (other lines become diagnostics).
tap_relay() {
  local l
  while IFS= read -r l; do
    case $l in
      "ok "*) ok "${l#ok * - }" ;;
      "not ok "*) not_ok "${l#not ok * - }" ;;
      "1.."*) ;;
      *) echo "# $l" ;;
    esac
  done <"$1"
}

done_testing() {
  echo "1..$T_N"
  [ "$T_FAIL" -eq 0 ]
}

# ---- cleanup registry -------------------------------------------------------

_XR_PIDS=()
_XR_NS=()
_XR_DIRS=()
_XR_CMDS=()

on_exit_kill() { _XR_PIDS+=("$@"); }
on_exit_ns() { _XR_NS+=("$@"); }
on_exit_rm() { _XR_DIRS+=("$@"); }
on_exit() { _XR_CMDS+=("$*"); }

# Stop processes by PID: TERM, then KILL after a bounded wait.
kill_pids() {
  local p t
  for p in "$@"; do kill -TERM "$p" 2>/dev/null; done
  for p in "$@"; do
    for t in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
  return 0
}

xr_cleanup() {
  local c n
  trap - EXIT INT TERM
  for c in "${_XR_CMDS[@]}"; do eval "$c" >/dev/null 2>&1; done
  [ ${#_XR_PIDS[@]} -gt 0 ] && kill_pids "${_XR_PIDS[@]}" 2>/dev/null
  for n in "${_XR_NS[@]}"; do ip netns del "$n" 2>/dev/null; done
  for n in "${_XR_DIRS[@]}"; do [ -n "$n" ] && rm -rf "$n"; done
  _XR_PIDS=() _XR_NS=() _XR_DIRS=() _XR_CMDS=()
}
trap xr_cleanup EXIT
trap 'exit 130' INT TERM

# ---- waiting --------------------------------------------------------------

# wait_until SECONDS CMD...: poll CMD every 0.2 s until it succeeds (0) or
# the deadline passes (1).
wait_until() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.2
  done
  return 0
}

# ---- namespaces -------------------------------------------------------------

# ns_create NAME: a fresh namespace with loopback up; removed at exit. A
# stale one of the same name (an earlier run killed hard) is replaced.
ns_create() {
  ip netns del "$1" 2>/dev/null
  ip netns add "$1" || return 1
  on_exit_ns "$1"
  ip -n "$1" link set lo up
}

# ns_link NS1 IF1 "ADDR/LEN ..." NS2 IF2 "ADDR/LEN ...": a veth pair between
# two namespaces with the addresses given (IPv6 without DAD delay).
ns_link() {
  local a
  ip link add "$2" netns "$1" type veth peer name "$5" netns "$4" || return 1
  for a in $3; do ns_addr "$1" "$2" "$a" || return 1; done
  for a in $6; do ns_addr "$4" "$5" "$a" || return 1; done
  ip -n "$1" link set "$2" up && ip -n "$4" link set "$5" up
}

ns_addr() {  # ns, ifname, addr/len
  case $3 in
    *:*) ip -n "$1" addr add "$3" dev "$2" nodad ;;
    *) ip -n "$1" addr add "$3" dev "$2" ;;
  esac
}

in_ns() { local n=$1; shift; ip netns exec "$n" "$@"; }

# ---- process statistics ---------------------------------------------------

# PIDs given and all their descendants.
pid_tree() {
  local all=" $* " changed=1 pid ppid f
  while [ $changed -eq 1 ]; do
    changed=0
    for f in /proc/[0-9]*/stat; do
      read -r pid _ _ ppid _ 2>/dev/null <"$f" || continue
      if [[ $all == *" $ppid "* && $all != *" $pid "* ]]; then
        all+="$pid "; changed=1
      fi
    done
  done
  echo $all
}

# proc_cpu PID...: user+system CPU seconds of the processes and their
# descendants (threads included), from /proc/PID/stat fields 14 and 15.
proc_cpu() {
  local hz ticks=0 p s
  hz=$(getconf CLK_TCK)
  for p in $(pid_tree "$@"); do
    s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    s=${s##*) }               # drop "pid (comm) " (comm may hold spaces)
    set -- $s
    ticks=$((ticks + ${12} + ${13}))
  done
  awk -v t=$ticks -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }'
}

# proc_hwm_kb PID...: sum of peak resident set sizes (VmHWM) in kB.
proc_hwm_kb() {
  local kb=0 p v
  for p in $(pid_tree "$@"); do
    v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
    kb=$((kb + ${v:-0}))
  done
  echo $kb
}

# ---- JSON -------------------------------------------------------------------

# json_get 'EXPR' < json: evaluate a Python expression on the parsed
# document 'd' and print the result (JSON for lists/dicts, plain otherwise);
# fails (status 1, no output) on bad JSON or a missing key.
json_get() {
  python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
    v = eval(sys.argv[1], {"d": d, "any": any, "all": all, "len": len, "sum": sum})
except Exception:
    sys.exit(1)
if isinstance(v, (dict, list, tuple)):
    print(json.dumps(v, sort_keys=True))
elif isinstance(v, bool):
    print("true" if v else "false")
elif v is None:
    print("null")
else:
    print(v)
' "$1"
}

# ---- BIRD 2 -----------------------------------------------------------------

# start_bird NS DIR: runs bird in NS with DIR/bird.conf; sets BIRD_PID and
# BIRD_SOCK (DIR/bird.ctl) and waits until birdc answers.
start_bird() {
  local ns=$1 dir=$2
  BIRD_SOCK=$dir/bird.ctl
  ip netns exec "$ns" bird -f -c "$dir/bird.conf" -s "$BIRD_SOCK" \
    -P "$dir/bird.pid" >"$dir/bird.out" 2>&1 &
  BIRD_PID=$!
  on_exit_kill $BIRD_PID
  wait_until 10 birdc -s "$BIRD_SOCK" show status
}

birdc_() { local s=$1; shift; birdc -s "$s" "$@"; }

# bird_state SOCK PROTO: the BGP state word (Established, Active, ...).
bird_state() {
  birdc -s "$1" show protocols "$2" 2>/dev/null |
    awk -v p="$2" '$1 == p { print $6; exit }'
}

bird_established() { [ "$(bird_state "$1" "$2")" = Established ]; }

# ---- FRR --------------------------------------------------------------------

# start_frr NS DIR: zebra and bgpd in NS with DIR/frr.conf and their own
# sockets in DIR (no shared /var/run/frr state). zebra runs as user frr
# (it refuses root without the frrvty group), so DIR is handed to frr;
# bgpd runs as root (-S). Sets
# FRR_PIDS and FRR_VTY (use: frr_vtysh DIR "show bgp summary json").
# FRR_BGPD_ARGS adds bgpd options (the benchmark passes -n: no FIB).
start_frr() {
  local ns=$1 dir=$2
  FRR_VTY=$dir
  chmod 755 "$dir"
  chown frr:frr "$dir"
  ip netns exec "$ns" "$FRR_DIR/zebra" -f /dev/null -i "$dir/zebra.pid" \
    -z "$dir/zserv.api" --vty_socket "$dir" -P 0 \
    --log "file:$dir/zebra.log" >"$dir/zebra.out" 2>&1 &
  FRR_PIDS=$!
  on_exit_kill $!
  wait_until 10 test -S "$dir/zserv.api" || return 1
  ip netns exec "$ns" "$FRR_DIR/bgpd" -S -f "$dir/frr.conf" \
    -i "$dir/bgpd.pid" -z "$dir/zserv.api" --vty_socket "$dir" -P 0 \
    --log "file:$dir/bgpd.log" ${FRR_BGPD_ARGS:-} >"$dir/bgpd.out" 2>&1 &
  FRR_PIDS="$FRR_PIDS $!"
  on_exit_kill $!
  wait_until 10 frr_vtysh "$dir" "show bgp summary"
}

frr_vtysh() { local d=$1; shift; local c a=(); for c in "$@"; do a+=(-c "$c"); done
  vtysh --vty_socket "$d" "${a[@]}"; }

# frr_state DIR PEER: BGP state of a neighbour ("Established", ...).
frr_state() {
  frr_vtysh "$1" "show bgp neighbors $2 json" 2>/dev/null |
    json_get "d['$2']['bgpState']"
}

frr_established() { [ "$(frr_state "$1" "$2")" = Established ]; }

# ---- GoBGP ------------------------------------------------------------------

# start_gobgp NS DIR PORT: gobgpd in NS with DIR/gobgp.toml, its gRPC API
# on 127.0.0.1:PORT inside NS. Sets GOBGP_PID; query with gobgp_ NS PORT ...
start_gobgp() {
  local ns=$1 dir=$2 port=$3
  ip netns exec "$ns" gobgpd -f "$dir/gobgp.toml" -t toml \
    --api-hosts "127.0.0.1:$port" --log-plain >"$dir/gobgpd.log" 2>&1 &
  GOBGP_PID=$!
  on_exit_kill $GOBGP_PID
  wait_until 10 gobgp_ "$ns" "$port" global
}

gobgp_() { local ns=$1 port=$2; shift 2; ip netns exec "$ns" gobgp -p "$port" "$@"; }

# gobgp_state NS PORT PEER: session state number of GoBGP's API (6 =
# ESTABLISHED, 1 = IDLE, 3 = ACTIVE ...).
gobgp_state() {
  gobgp_ "$1" "$2" neighbor "$3" -j 2>/dev/null |
    json_get "d['state']['session_state']"
}

# ---- xrouted ----------------------------------------------------------------

xr_built() { [ -x "$XR_BUILD/xrouted" ] && [ -x "$XR_BUILD/xrctl" ]; }

# start_xrouted NS DIR: xrouted in NS with DIR/xrouted.conf and control
# socket DIR/xrouted.sock; sets XR_PID and XR_SOCK; waits for the socket.
start_xrouted() {
  local ns=$1 dir=$2
  XR_SOCK=$dir/xrouted.sock
  ip netns exec "$ns" "$XR_BUILD/xrouted" -d ${XR_ARGS:-} -f "$dir/xrouted.conf" \
    -s "$XR_SOCK" >"$dir/xrouted.log" 2>&1 &
  XR_PID=$!
  on_exit_kill $XR_PID
  wait_until 10 xrctl_ "$XR_SOCK" show bgp summary
}

xrctl_() { local s=$1; shift; "$XR_BUILD/xrctl" -s "$s" -j "$@"; }

# xr_peer_state SOCK CONTEXT PEER: state from `show bgp summary`.
xr_peer_state() {
  xrctl_ "$1" show bgp summary |
    json_get "d['contexts']['$2']['peers']['$3']['state']"
}

xr_established() { [ "$(xr_peer_state "$1" "$2" "$3")" = Established ]; }

# ---- run directly: a test of the helpers themselves ---------------------------

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  t0=$SECONDS
  wait_until 5 true; r1=$?
  wait_until 1 false; r2=$?
  check_eq "wait_until: true at once, false after its deadline" \
    "$r1/$r2/$((SECONDS - t0 <= 3))" "0/1/1"

  if ns_create xr-libt-a && ns_create xr-libt-b &&
     ns_link xr-libt-a lta0 "10.98.0.1/30 fd00:98::1/64" \
             xr-libt-b ltb0 "10.98.0.2/30 fd00:98::2/64"; then
    in_ns xr-libt-a ping -c1 -W2 10.98.0.2 >/dev/null; p4=$?
    wait_until 5 in_ns xr-libt-a ping -6 -c1 -W1 fd00:98::2; p6=$?
    check_eq "ns_create/ns_link: IPv4 and IPv6 ping across the veth" "$p4/$p6" 0/0
  else
    not_ok "ns_create/ns_link: IPv4 and IPv6 ping across the veth"
  fi

  # The EXIT trap of a child shell removes what it registered.
  bash -c ". '${BASH_SOURCE[0]}'; ns_create xr-libt-c; sleep 30 & on_exit_kill \$!;
    echo \$! >/tmp/xr-libt-pid.$$"
  cpid=$(cat /tmp/xr-libt-pid.$$ 2>/dev/null); rm -f /tmp/xr-libt-pid.$$
  ip netns list | grep -qw xr-libt-c; ns=$?
  kill -0 "${cpid:-0}" 2>/dev/null; alive=$?
  check_eq "cleanup at exit: namespace deleted, process killed" "$ns/$alive" 1/1

  mark=$(mktemp /tmp/xr-libt.XXXXXX); rm -f "$mark"; on_exit_rm "$mark"
  python3 -c 'import sys, time
x = [0] * 20000000
t = time.process_time()
while time.process_time() - t < 0.6: pass
open(sys.argv[1], "w").close()
time.sleep(30)' "$mark" &
  bp=$!; on_exit_kill $bp
  wait_until 20 test -f "$mark"
  cpu=$(proc_cpu $bp); hwm=$(proc_hwm_kb $bp)
  check_eq "proc_cpu/proc_hwm_kb: 0.6 s busy loop, 160 MB list" \
    "$(awk -v c="$cpu" 'BEGIN { print (c >= 0.6 && c < 5) }')/$((hwm > 150000))" 1/1
  diag "cpu $cpu s, VmHWM $hwm kB"

  check_eq "json_get: value, missing key fails" \
    "$(json_get "d['a'][1]" <<<'{"a":[1,"x"]}')/$(json_get "d['b']" <<<'{}' || echo fail)" \
    "x/fail"
  done_testing
fi
