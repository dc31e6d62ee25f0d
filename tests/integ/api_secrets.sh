#!/usr/bin/env bash
# Secrets are never returned or logged (issue 7): the API role and an edge
# both at debug log level (-v); through the API a circuit with a private
# peering keyed with a sharedKey (TCP-MD5 to a BIRD CE, so the key is
# really used), an authorization redeemed by another tenant's connection,
# and four tokens. api_secrets.py reads every resource and list as every
# role and checks the rule of the spec; then every log and every xrctl
# reply of the edge is searched for each secret value, and the store for
# the tokens (kept as SHA-256 hashes only).
set -u
. "$(dirname "$0")/lib.sh"

command -v bird >/dev/null && command -v birdc >/dev/null || {
  skip "secrets" "BIRD 2 not installed"; done_testing; exit 0; }
[ -x "$XR_BUILD/xrouted" ] || { not_ok "no $XR_BUILD/xrouted"; done_testing; exit 1; }

. "$(dirname "$0")/reconcile_lib.bash"
RCE_API_ARGS=-v RCE_EDGE_ARGS=-v
rce_setup || { done_testing; exit 1; }
PY="python3 $XR_ROOT/tests/integ/api_secrets.py $D/state.json $D/secrets.json"

for n in e1 c1; do ns_create xr-sec-$n || exit 1; done
ns_link xr-sec-e1 p200 "" xr-sec-c1 msee "172.16.0.1/30"

$PY create >"$D/create.out" 2>&1 && ok "resources with secrets created" ||
  { not_ok "create resources"; diag "$(cat "$D/create.out")"; done_testing; exit 1; }
KEY=$(json_get "d['sharedKey']" <"$D/secrets.json")

start_edge xr-sec-e1 e1 primary 10.255.0.1 200=p200
write_ce c1 172.16.0.1 172.16.0.2 "$KEY"
start_bird xr-sec-c1 "$D/c1" || not_ok "BIRD starts in c1"
if wait_until 60 bird_established "$BIRD_SOCK" msee; then
  ok "TCP-MD5 session with the sharedKey Established (the key is in use)"
else
  not_ok "TCP-MD5 session Established"; diag "$(tail -20 "$D/e1.log")"
fi

$PY sweep >"$D/sweep.out" 2>&1
tap_relay "$D/sweep.out"

# what the edge tells its operator
for c in "show neighbor" "show bgp summary" "show route"; do
  "$XR_BUILD/xrctl" -s "$D/e1.sock" -j $c >>"$D/xrctl.out" 2>&1
  "$XR_BUILD/xrctl" -s "$D/e1.sock" $c >>"$D/xrctl.out" 2>&1
done
grep -q '"md5": *true' "$D/xrctl.out" && ok "xrctl shows md5: true" ||
  not_ok "xrctl shows md5: true"

kill_pids "${EDGE_PID[@]}" "$API_PID"
lines=$(cat "$D/api.log" "$D/e1.log" | wc -l)
leaks=()
while IFS=$'\t' read -r name value; do
  for f in api.log e1.log xrctl.out; do
    grep -qF -- "$value" "$D/$f" && leaks+=("$name in $f")
  done
  case $name in *token*)
    grep -qaF -- "$value" "$D/xroute.db" "$D/xroute.db-wal" 2>/dev/null &&
      leaks+=("$name in the store") ;;
  esac
done < <(python3 -c 'import json, sys
for k, v in json.load(open(sys.argv[1])).items(): print("%s\t%s" % (k, v))' \
  "$D/secrets.json")
if [ ${#leaks[@]} -eq 0 ]; then
  ok "no secret in the debug logs ($lines lines), the xrctl replies, nor a token in the store"
else
  not_ok "secrets leaked"; diag "${leaks[@]}"
fi
grep -qE 'debug' "$D/api.log" && grep -qE 'debug' "$D/e1.log" &&
  ok "both logs were at debug level" || not_ok "debug logs"
for n in api e1; do
  grep -qE "Sanitizer|runtime error" "$D/$n.log" &&
    not_ok "$n log has a sanitizer report" || ok "$n log clean after stop"
done
done_testing
