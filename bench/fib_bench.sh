#!/usr/bin/env bash
# Kernel FIB install benchmark: N routes into one table, src/fib (batched
# sendmsg, one ACK per batch; driven by build/tests/tools/fib_tool), the
# same with NLM_F_ACK on every message (fib_tool -A), and `ip -batch`
# doing the same, all in a scratch network namespace.
#
#   bench/fib_bench.sh [-n ROUTES] [-r RUNS] [--no-build]
#
# Routes are /32s from 100.64.0.0 into table 1002 with protocol 200 and
# metric 20, over one next hop and as 2-way ECMP over two veth links. Per
# case it reports the median of RUNS wall-clock times for install and for
# delete. Nothing here touches the root namespace's tables.
set -uo pipefail
cd "$(dirname "$0")/.."
N=100000
RUNS=3
BUILD=1
while [ $# -gt 0 ]; do
  case $1 in
    -n) N=$2; shift ;;
    -r) RUNS=$2; shift ;;
    --no-build) BUILD=0 ;;
    *) echo "usage: bench/fib_bench.sh [-n ROUTES] [-r RUNS] [--no-build]" >&2
       exit 64 ;;
  esac
  shift
done
[ "$(id -u)" -eq 0 ] || { echo "fib_bench: needs root (network namespaces)" >&2; exit 1; }
[ $BUILD = 1 ] && { make -s -j2 build/tests/tools/fib_tool || exit 1; }
TOOL=$PWD/build/tests/tools/fib_tool
PY=$(command -v /usr/bin/python3 || command -v python3)
NA=xr-fibb-a
NB=xr-fibb-b
T=1002
TMP=$(mktemp -d /tmp/xr-fibb.XXXXXX)
cleanup() { ip netns del $NA 2>/dev/null; ip netns del $NB 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
ip netns del $NA 2>/dev/null; ip netns del $NB 2>/dev/null
ip netns add $NA && ip netns add $NB || exit 1
ip -n $NA link add a1 type veth peer name b1 netns $NB
ip -n $NA link add a2 type veth peer name b2 netns $NB
ip -n $NA addr add 10.0.1.1/24 dev a1; ip -n $NB addr add 10.0.1.2/24 dev b1
ip -n $NA addr add 10.0.2.1/24 dev a2; ip -n $NB addr add 10.0.2.2/24 dev b2
for i in lo a1 a2; do ip -n $NA link set $i up; done
for i in lo b1 b2; do ip -n $NB link set $i up; done

# ip -batch files for both cases
$PY - "$N" "$TMP" <<'EOF'
import ipaddress, sys
n, d = int(sys.argv[1]), sys.argv[2]
base = int(ipaddress.IPv4Address("100.64.0.0"))
nh = {"1nh": "via 10.0.1.2", "ecmp2": "nexthop via 10.0.1.2 nexthop via 10.0.2.2"}
for case, hops in nh.items():
    with open(f"{d}/add-{case}", "w") as a:
        for i in range(n):
            a.write(f"route add {ipaddress.IPv4Address(base + i)}/32 table 1002 proto 200 metric 20 {hops}\n")
with open(f"{d}/del", "w") as f:
    for i in range(n):
        f.write(f"route del {ipaddress.IPv4Address(base + i)}/32 table 1002 proto 200 metric 20\n")
EOF

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
count() { ip -n $NA route show table $T proto 200 | grep -c '^[0-9]'; }

run_fib() {  # tool-flags nexthops... -> "add_ms del_ms"
  local out add del flags=$1; shift
  out=$(printf 'bench %s %s %s\nstats\nbenchdel %s %s\nquit\n' "$N" $T "$*" "$N" $T |
    ip netns exec $NA "$TOOL" $flags 2>>"$TMP/fib.log")
  add=$(sed -n '2s/.* ms=\([0-9]*\).*/\1/p' <<<"$out")
  del=$(sed -n '4s/.* ms=\([0-9]*\).*/\1/p' <<<"$out")
  # every route acknowledged, none refused
  grep -q "^ok routes=$N .* errors=0 " <<<"$out" || echo "fib_bench: fib_tool said: $out" >&2
  echo "$add $del"
}
run_ip() {  # case -> "add_ms del_ms"
  local t0 add del got
  t0=$(date +%s%N); ip -n $NA -batch "$TMP/add-$1" >/dev/null; add=$(ms "$t0")
  got=$(count)
  [ "$got" -eq "$N" ] || echo "fib_bench: ip -batch installed $got of $N" >&2
  t0=$(date +%s%N); ip -n $NA -batch "$TMP/del" >/dev/null; del=$(ms "$t0")
  echo "$add $del"
}

printf '%-8s %-12s %10s %10s\n' case method install_ms delete_ms
for case in 1nh ecmp2; do
  [ $case = 1nh ] && hops="10.0.1.2" || hops="10.0.2.2 10.0.1.2"
  for method in fib fib-ack-each ip-batch; do
    adds=; dels=
    for _ in $(seq "$RUNS"); do
      case $method in
        fib) r=$(run_fib "" $hops) ;;
        fib-ack-each) r=$(run_fib -A $hops) ;;
        ip-batch) r=$(run_ip $case) ;;
      esac
      adds+=" ${r% *}"; dels+=" ${r#* }"
      [ "$(count)" -eq 0 ] || echo "fib_bench: routes left after delete" >&2
    done
    printf '%-8s %-12s %10s %10s\n' "$case" "$method" \
      "$(median <<<"$adds")" "$(median <<<"$dels")"
  done
done
echo "# N=$N routes, median of $RUNS runs, $(nproc) CPUs, kernel $(uname -r)"
echo "# fib:      printf 'bench $N $T NH...\\nbenchdel $N $T\\nquit\\n' | ip netns exec NS build/tests/tools/fib_tool [-A]"
echo "# ip-batch: ip -n NS -batch FILE   (lines: route add 100.64.x.y/32 table $T proto 200 metric 20 via ...)"
