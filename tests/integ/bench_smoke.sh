#!/usr/bin/env bash
# xr-test: serial
# The benchmark harness checked small and fast, so bench/bgp_bench.sh can
# be trusted: bgpblast's own generator/codec self-test, an injector -> sink
# run with no daemon, the same through a real BIRD 2 in a namespace pair
# (every prefix arrives, every withdrawal too, nothing is echoed back to
# the injector), a wrong peer AS that bgpblast must refuse, and the same run
# through xrouted.
. "$(dirname "$0")/lib.sh"

BLAST=$XR_BUILD/bench/tools/bgpblast
N=50000
if [ ! -x "$BLAST" ]; then
  skip "bgpblast" "not built ($BLAST)"; done_testing; exit
fi

# 1. self-test (its own TAP lines are summarised into one here)
st=$("$BLAST" --selftest 2>&1)
nst=$(grep -c '^ok' <<<"$st")
if ! grep -q '^not ok' <<<"$st" && [ "$nst" -ge 10 ]; then
  ok "bgpblast --selftest: $nst checks pass"
else
  not_ok "bgpblast --selftest"; diag "$st"
fi

dir=$(mktemp -d /tmp/xr-bsmoke.XXXXXX); chmod 755 "$dir"; on_exit_rm "$dir"
ns_create xr-bsmoke-d && ns_create xr-bsmoke-h || { not_ok "namespaces"; done_testing; exit; }
ns_link xr-bsmoke-d bsd0 "10.254.0.1/16" xr-bsmoke-h bsh0 "10.254.1.1/16 10.254.2.1/16" ||
  { not_ok "veth"; done_testing; exit; }

sink_val() {  # json, key
  json_get "d['sinkStats'][0]['$2']" <<<"$1"
}

# 2. no daemon: the harness's own path
out=$(timeout 60 ip netns exec xr-bsmoke-h "$BLAST" -n $N -w -s 0.2 -t 30 \
  sink,listen=10.254.2.1:1790 inject,connect=10.254.2.1:1790,local=10.254.1.1 \
  2>"$dir/base.log")
check_eq "no daemon: sink got all $N announcements" \
  "$(sink_val "$out" announced)/$(sink_val "$out" duplicates)" "$N/0"
check_eq "no daemon: all withdrawn, none left" \
  "$(sink_val "$out" withdrawn)/$(sink_val "$out" have)" "$N/0"

# 3. through BIRD
cat >"$dir/bird.conf" <<EOF
router id 10.254.0.1;
protocol device { }
protocol bgp inj { local 10.254.0.1 as 65000; neighbor 10.254.1.1 as 65001;
  passive on; ipv4 { import all; export none; }; }
protocol bgp snk { local 10.254.0.1 as 65000; neighbor 10.254.2.1 as 65002;
  passive on; ipv4 { import none; export all; }; }
EOF
if ! command -v bird >/dev/null; then
  skip "through BIRD" "bird not installed"
elif ! start_bird xr-bsmoke-d "$dir"; then
  not_ok "BIRD starts"; diag "$(cat "$dir/bird.out")"
else
  out=$(timeout 90 ip netns exec xr-bsmoke-h "$BLAST" -n $N -a 1000 -w \
    -s 0.5 -t 60 sink,connect=10.254.0.1:179,local=10.254.2.1,peer-as=65000 \
    inject,connect=10.254.0.1:179,local=10.254.1.1,peer-as=65000 \
    2>"$dir/bird-blast.log")
  check_eq "BIRD: run completes" "$(json_get "d['ok']" <<<"$out")" true ||
    diag "$(tail -5 "$dir/bird-blast.log")"
  check_eq "BIRD: sink got $N distinct prefixes, no foreign ones, paths start 65000" \
    "$(sink_val "$out" announced)/$(sink_val "$out" foreign)/$(sink_val "$out" badPaths)" "$N/0/0"
  check_eq "BIRD: every withdrawal propagated" \
    "$(sink_val "$out" withdrawn)/$(sink_val "$out" have)" "$N/0"
  check_eq "BIRD: nothing exported back to the injector" \
    "$(json_get "d['injectorPrefixesReceived']" <<<"$out")" 0
  # 4. wrong AS: bgpblast expects 65099, BIRD is 65000
  out=$(timeout 30 ip netns exec xr-bsmoke-h "$BLAST" -n 10 -c 10 \
    inject,connect=10.254.0.1:179,local=10.254.1.1,peer-as=65099 2>&1 >/dev/null)
  rc=$?
  check_eq "wrong peer AS refused (exit 1, names both ASes)" \
    "$rc/$(grep -o 'peer AS 65000, expected 65099' <<<"$out")" \
    "1/peer AS 65000, expected 65099"
fi

# 5. through xrouted: the same run, xrouted in BIRD's place
if ! xr_built; then
  skip "through xrouted" "xrouted not built"
else
  [ -n "${BIRD_PID:-}" ] && kill_pids "$BIRD_PID"
  mkdir -p "$dir/xr"; chmod 755 "$dir/xr"
  cat >"$dir/xr/xrouted.conf" <<EOF
router-id 10.254.0.1
as 65000
listen 10.254.0.1 port 179
control "$dir/xr/xrouted.sock"
context "bench" {
  neighbor 10.254.1.1 { remote-as 65001 local-address 10.254.0.1 passive }
  neighbor 10.254.2.1 { remote-as 65002 local-address 10.254.0.1 passive }
}
EOF
  if ! start_xrouted xr-bsmoke-d "$dir/xr"; then
    not_ok "xrouted starts"; diag "$(tail -5 "$dir/xr/xrouted.log")"
  else
    out=$(timeout 90 ip netns exec xr-bsmoke-h "$BLAST" -n $N -a 1000 -w \
      -s 0.5 -t 60 sink,connect=10.254.0.1:179,local=10.254.2.1,peer-as=65000 \
      inject,connect=10.254.0.1:179,local=10.254.1.1,peer-as=65000 \
      2>"$dir/xr-blast.log")
    check_eq "xrouted: $N prefixes in, all out with its AS first, all withdrawn" \
      "$(json_get "d['ok']" <<<"$out")/$(sink_val "$out" announced)/$(sink_val "$out" foreign)/$(sink_val "$out" badPaths)/$(sink_val "$out" have)" \
      "true/$N/0/0/0" || diag "$(tail -5 "$dir/xr-blast.log")"
  fi
fi

done_testing
