#!/usr/bin/env bash
# Prometheus /metrics of a speaker, checked against what happened on the
# wire. Namespace A runs xrouted with --metrics; namespace B runs a second
# xrouted (a clean eBGP session announcing 3 prefixes) and the scripted
# peer tests/integ/bgp_craft.py, which sends what no real daemon sends: a
# route whose AS_PATH holds A's AS (filtered: AS loop), one with ORIGIN 7
# (RFC 7606 treat-as-withdraw), a bogon and one outside the allowed
# prefixes (deny-bogons, allow-prefix), then more prefixes than A's
# max-prefix 5 (Cease/Maximum Number of Prefixes Reached). The whole
# exposition is parsed with the Prometheus client's text parser plus our
# own checks (HELP and TYPE before every family, contiguous families,
# counters end in _total, no duplicate series), and values are asserted:
# bgp_peer_state 6 (ESTABLISHED), bgp_routes_received 3, filtered routes by
# reason (also in `xrctl show route --filtered`), BFD state, interface
# bytes, the prefix-limit counter, NOTIFICATION counters by code and
# subcode, the state history in `xrctl -j show neighbor` and its text, the
# API role's endpoint, and HTTP errors (404, 405, 400) from the responder.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then echo "ok 1 - metrics # SKIP needs root"; exit 0; fi
if ! xr_built; then echo "not ok 1 - xrouted/xrctl not built in $XR_BUILD"; exit 1; fi
PY=/usr/bin/python3
if ! $PY -c 'import prometheus_client.parser' 2>/dev/null; then
  echo "ok 1 - metrics # SKIP python3-prometheus-client missing (scripts/deps.sh)"
  exit 0
fi

NA=xr-mx-$$-a NB=xr-mx-$$-b
T=$(mktemp -d /tmp/xr-mx.XXXXXX); on_exit_rm "$T"
ns_create $NA && ns_create $NB &&
  ns_link $NA mxa0 "10.98.7.1/24" $NB mxb0 "10.98.7.2/24 10.98.7.3/24" ||
  { not_ok "namespaces"; done_testing; exit 1; }
PORT=9179
URL=http://10.98.7.1:$PORT/metrics

cat >"$T/a.conf" <<EOF
router-id 10.98.7.1
as 65001
listen 10.98.7.1
metrics listen 10.98.7.1 port $PORT
context c1 {
    kernel-table 100
    ingress-interface mxa0
    neighbor 10.98.7.2 {
        remote-as 65002
        hold-time 9
        connect-retry 1
        ttl-security no
        local-address 10.98.7.1
        bfd 100
    }
    neighbor 10.98.7.3 {
        remote-as 65003
        hold-time 9
        passive
        ttl-security no
        max-prefix 5
        max-prefix-restart 3600
        deny-bogons
        allow-prefix 198.51.100.0/24
        allow-prefix 203.0.113.0/24
    }
}
EOF
cat >"$T/b.conf" <<EOF
router-id 10.98.7.2
as 65002
listen 10.98.7.2
context c1 {
    route 10.60.1.0/24
    route 10.60.2.0/24
    route 10.60.3.0/24
    neighbor 10.98.7.1 {
        remote-as 65001
        hold-time 9
        connect-retry 1
        ttl-security no
        local-address 10.98.7.2
        bfd 100
    }
}
EOF
cat >"$T/craft.txt" <<EOF
announce 198.51.100.0/25 65003
announce 198.51.100.128/25 65003,65001
badorigin 203.0.113.0/25
announce 192.168.5.0/24 65003
announce 192.0.2.0/24 65003
wait $T/go
announce 203.0.113.128/26,203.0.113.192/26,198.51.100.0/26,198.51.100.64/26 65003
hold
EOF

check "xrouted -n accepts 'metrics listen ADDR port N'" \
  "$XR_BUILD/xrouted" -n -f "$T/a.conf" >/dev/null
out=$("$XR_BUILD/xrouted" --metrics nonsense -n -f "$T/a.conf" 2>&1); rc=$?
check_eq "--metrics with a bad value: exit 64, message names the value" \
  "$rc/$(grep -c "'nonsense' is not ADDR:PORT" <<<"$out")" "64/1"

# start_xrouted wants DIR/xrouted.conf: one directory per daemon
mkdir -p "$T/a" "$T/b"
cp "$T/a.conf" "$T/a/xrouted.conf"; cp "$T/b.conf" "$T/b/xrouted.conf"
start_xrouted $NA "$T/a"; SA=$XR_SOCK; PA=$XR_PID
start_xrouted $NB "$T/b"; SB=$XR_SOCK

scrape() { in_ns $NA curl -sS --max-time 5 "$URL"; }
# metric NAME 'LABEL="V",...': the value of the first series whose labels
# include all those given (label values may hold spaces).
metric() {
  scrape 2>/dev/null | awk -v n="$1" -v l="$2" '
    BEGIN { k = split(l, want, ",") }
    /^#/ { next }
    { key = $0; sub(/ [^ ]*$/, "", key) }
    key ~ "^" n "({|$)" { ok = 1
      for (i = 1; i <= k; i++) if (index(key, want[i]) == 0) ok = 0
      if (ok && !done) { print $NF; done = 1 } }'
}
metric_is() { [ "$(metric "$1" "$2")" = "$3" ]; }

wait_until 20 xr_established "$SA" c1 10.98.7.2
check "sessions A-B Established" xr_established "$SA" c1 10.98.7.2

in_ns $NB $PY "$(dirname "$0")/bgp_craft.py" 10.98.7.3 10.98.7.1 65003 65001 \
  "$T/craft.txt" >"$T/craft.out" 2>&1 &
CP=$!; on_exit_kill $CP
craft_at() { grep -q "^sent announce 192.0.2.0/24" "$T/craft.out"; }
wait_until 20 craft_at
check "scripted peer established and sent its 5 UPDATEs" craft_at

wait_until 10 metric_is bgp_routes_received 'peer="10.98.7.2"' 3
check_eq "bgp_peer_state{peer=10.98.7.2,session_state=ESTABLISHED} is 6" \
  "$(metric bgp_peer_state 'peer="10.98.7.2",session_state="ESTABLISHED",admin_state="UP"')" 6
check_eq "bgp_routes_received from B = 3 announced" \
  "$(metric bgp_routes_received 'peer="10.98.7.2",route_family="ipv4-unicast"')" 3
check_eq "bgp_routes_accepted from B = 3" \
  "$(metric bgp_routes_accepted 'peer="10.98.7.2",route_family="ipv4-unicast"')" 3
check_eq "bgp_routes_advertised to B = 1 (the scripted peer's one accepted route)" \
  "$(metric bgp_routes_advertised 'peer="10.98.7.2",route_family="ipv4-unicast"')" 1
wait_until 10 metric_is xroute_bfd_session_up 'peer="10.98.7.2"' 1
check_eq "BFD to B: xroute_bfd_session_state 3 (Up), xroute_bfd_session_up 1" \
  "$(metric xroute_bfd_session_state 'peer="10.98.7.2",local="10.98.7.1"')/$(metric xroute_bfd_session_up 'peer="10.98.7.2"')" "3/1"
check "interface counters of the ingress interface mxa0 (rx, tx > 0)" \
  bash -c "[ $(metric xroute_interface_receive_bytes_total 'interface="mxa0"') -gt 0 ] &&
    [ $(metric xroute_interface_transmit_bytes_total 'interface="mxa0"') -gt 0 ]"
wait_until 10 metric_is xroute_bgp_treat_as_withdraw_total 'peer="10.98.7.3"' 1
wait_until 10 metric_is bgp_routes_received 'peer="10.98.7.3"' 5
check_eq "scripted peer: received 5 (pre-policy), accepted 1, filtered 4" \
  "$(metric bgp_routes_received 'peer="10.98.7.3"')/$(metric bgp_routes_accepted 'peer="10.98.7.3"')/$(metric xroute_bgp_routes_filtered 'peer="10.98.7.3"')" "5/1/4"
check_eq "xroute_bgp_filtered_routes{reason=AS loop} 1" \
  "$(metric xroute_bgp_filtered_routes 'peer="10.98.7.3",reason="AS loop"')" 1
check_eq "xroute_bgp_filtered_routes{reason=RFC 7606 treat-as-withdraw: ...} 1" \
  "$(metric xroute_bgp_filtered_routes 'peer="10.98.7.3",reason="RFC 7606 treat-as-withdraw')" 1
check_eq "xroute_bgp_filtered_routes: bogon 1, not in advertisedPublicPrefixes 1" \
  "$(metric xroute_bgp_filtered_routes 'peer="10.98.7.3",reason="bogon: private address space (RFC 1918)"')/$(metric xroute_bgp_filtered_routes 'peer="10.98.7.3",reason="not in advertisedPublicPrefixes"')" "1/1"
check_eq "xroute_rib_prefixes{c1,ipv4-unicast} 4 (3 from B, 1 from the scripted peer)" \
  "$(metric xroute_rib_prefixes 'context="c1",route_family="ipv4-unicast"')" 4
check_eq "xroute_bgp_treat_as_withdraw_total 1" \
  "$(metric xroute_bgp_treat_as_withdraw_total 'peer="10.98.7.3"')" 1
check_eq "xroute_bgp_prefix_limit{ipv4-unicast} 5" \
  "$(metric xroute_bgp_prefix_limit 'peer="10.98.7.3",route_family="ipv4-unicast"')" 5

filt=$(in_ns $NA "$XR_BUILD/xrctl" -s "$SA" -j show route c1 --filtered)
check_eq "--filtered: AS loop, RFC 7606 treat-as-withdraw, bogon, not listed" \
  "$(json_get "sorted((r['network'], r.get('reason', '')) for r in d['routes'])" <<<"$filt")" \
  '[["192.0.2.0/24", "not in advertisedPublicPrefixes"], ["192.168.5.0/24", "bogon: private address space (RFC 1918)"], ["198.51.100.128/25", "AS loop"], ["203.0.113.0/25", "RFC 7606 treat-as-withdraw: ORIGIN malformed: undefined value"]]'

# The whole exposition: the Prometheus parser and our own rules.
scrape >"$T/m1.txt"
lint() {  # FILE [MIN_FAMILIES]
  $PY - "$1" "${2:-30}" <<'EOF'
import re, sys
from prometheus_client.parser import text_string_to_metric_families
text = open(sys.argv[1]).read()
fams = list(text_string_to_metric_families(text))
assert len(fams) >= int(sys.argv[2]), "only %d families" % len(fams)
seen, cur, helped, typed, series = set(), None, set(), {}, set()
for line in text.splitlines():
    if line.startswith("# HELP "):
        n = line.split()[2]; helped.add(n)
        assert n not in seen, "family %s twice" % n
        seen.add(n); cur = n
    elif line.startswith("# TYPE "):
        _, _, n, t = line.split(" ", 3)
        assert n == cur, "TYPE %s after HELP %s" % (n, cur)
        typed[n] = t
        assert t != "counter" or n.endswith("_total"), "counter %s" % n
    else:
        name = re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", line).group(0)
        assert name == cur, "sample %s outside its family %s" % (name, cur)
        key = line.rsplit(" ", 1)[0]
        assert key not in series, "duplicate series " + key
        series.add(key)
        float(line.rsplit(" ", 1)[1])
assert helped == set(typed), "HELP without TYPE"
print(len(fams), "families,", len(series), "series")
EOF
}
out=$(lint "$T/m1.txt" 2>&1); rc=$?
check_eq "exposition parses (prometheus_client) and passes the lint" "$rc" 0
diag "$out"

# Prefix limit: 4 more prefixes make 7 > 5.
touch "$T/go"
wait_until 15 grep -q "^notification 6 1" "$T/craft.out"
check "scripted peer received Cease/Maximum Number of Prefixes Reached (6/1)" \
  grep -q "^notification 6 1" "$T/craft.out"
wait_until 10 metric_is xroute_bgp_prefix_limit_events_total 'peer="10.98.7.3"' 1
check_eq "xroute_bgp_prefix_limit_events_total 1 after the tear-down" \
  "$(metric xroute_bgp_prefix_limit_events_total 'peer="10.98.7.3"')" 1
check_eq "xroute_bgp_notifications_sent_total{code=6,subcode=1} 1" \
  "$(metric xroute_bgp_notifications_sent_total 'peer="10.98.7.3",code="6",subcode="1"')" 1
check_eq "bgp_peer_state: IDLE (1), admin_state PFX_CT while held down" \
  "$(metric bgp_peer_state 'peer="10.98.7.3",session_state="IDLE",admin_state="PFX_CT"')" 1

# NOTIFICATION received by code: B shuts its session down (Cease/2).
in_ns $NB "$XR_BUILD/xrctl" -s "$SB" neighbor 10.98.7.1 down "metrics test" >/dev/null
wait_until 10 metric_is xroute_bgp_notifications_received_total 'peer="10.98.7.2",code="6",subcode="2"' 1
check_eq "xroute_bgp_notifications_received_total{code=6,subcode=2} 1 after B's admin down" \
  "$(metric xroute_bgp_notifications_received_total 'peer="10.98.7.2",code="6",subcode="2"')" 1
check_eq "bgp_received_notification_total from B 1" \
  "$(metric bgp_received_notification_total 'peer="10.98.7.2"')" 1

nb=$(in_ns $NA "$XR_BUILD/xrctl" -s "$SA" -j show neighbor 10.98.7.2)
check_eq "history: Established -> Idle carrying the received Cease/2 and its text" \
  "$(json_get "[(h['from'], h['to'], n['direction'], n['code'], n['subcode'], n['message']) for h in d['neighbors'][0]['history'] for n in [h['notification']] if n]" <<<"$nb")" \
  '[["Established", "Idle", "received", 6, 2, "metrics test"]]'
check_eq "history: reached Established, times in order, UTC" \
  "$(json_get "'Established' in [h['to'] for h in d['neighbors'][0]['history']], [h['time'] for h in d['neighbors'][0]['history']] == sorted(h['time'] for h in d['neighbors'][0]['history']), all(h['time'].endswith('Z') for h in d['neighbors'][0]['history'])" <<<"$nb")" \
  '[true, true, true]'
nc=$(in_ns $NA "$XR_BUILD/xrctl" -s "$SA" -j show neighbor 10.98.7.3)
check_eq "history of the limited peer: Cease/1 sent, prefixLimitEvents 1" \
  "$(json_get "[(n['direction'], n['code'], n['subcode']) for h in d['neighbors'][0]['history'] for n in [h['notification']] if n], d['neighbors'][0]['prefixLimitEvents']" <<<"$nc")" \
  '[[["sent", 6, 1]], 1]'
txt=$(in_ns $NA "$XR_BUILD/xrctl" -s "$SA" show bgp neighbor 10.98.7.2)
check "text 'show bgp neighbor' prints the history with the NOTIFICATION line" \
  grep -q 'NOTIFICATION received 6/2 Cease/Administrative Shutdown "metrics test"' <<<"$txt" ||
  diag "$txt"

scrape >"$T/m2.txt"
out=$(lint "$T/m2.txt" 2>&1); rc=$?
check_eq "second scrape (sessions down, counters set) passes the lint" "$rc" 0

# The responder: status codes for what it refuses.
code() { in_ns $NA curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"; }
check_eq "GET /nothing is 404" "$(code http://10.98.7.1:$PORT/nothing)" 404
check_eq "POST /metrics is 405" "$(code -X POST http://10.98.7.1:$PORT/metrics)" 405
raw=$(printf 'GET /metrics HTTP/1.1\n\n' | in_ns $NA timeout 5 bash -c \
  "exec 3<>/dev/tcp/10.98.7.1/$PORT; cat >&3; head -1 <&3")
check_eq "a bare-LF request is 400" "${raw%$'\r'}" "HTTP/1.1 400 Bad Request"
check "the daemon still answers after the bad requests" metric_is xroute_info 'role="edge"' 1
kill -0 $PA 2>/dev/null; check_eq "xrouted A is alive" "$?" 0
kill -TERM $PA
gone() { ! kill -0 $PA 2>/dev/null; }
wait_until 15 gone
check_eq "xrouted A stops cleanly, no sanitizer report in its log" \
  "$(gone && echo stopped)/$(grep -c -E 'ERROR: (Address|Leak)Sanitizer|runtime error' "$T/a/xrouted.log")" "stopped/0"

# The API role: GET /metrics without a token, request counters by status.
ip netns exec $NA env XR_ADMIN_TOKEN=adm-$$ "$XR_BUILD/xrouted" --role api \
  --db "$T/api.db" --listen 127.0.0.1:0 --port-file "$T/api.port" \
  --data "$XR_ROOT/data" >"$T/api.log" 2>&1 &
on_exit_kill $!
wait_until 15 test -s "$T/api.port"
AP=$(cat "$T/api.port" 2>/dev/null)
api() { in_ns $NA curl -s --max-time 5 "$@"; }
api -o /dev/null "http://127.0.0.1:$AP/subscriptions/x/providers?api-version=2024-05-01"
api "http://127.0.0.1:$AP/metrics" >"$T/api1.txt"
check_eq "API /metrics unauthenticated: xroute_info{role=api} 1" \
  "$(grep '^xroute_info' "$T/api1.txt")" 'xroute_info{role="api"} 1'
check_eq "API counts the unauthenticated GET as 401" \
  "$(grep -c '^xroute_api_requests_total{method="GET",code="401"} 1$' "$T/api1.txt")" 1
out=$(lint "$T/api1.txt" 5 2>&1); rc=$?
check_eq "API exposition passes the lint, process metrics included" \
  "$rc/$(grep -c '^process_resident_memory_bytes [1-9]' "$T/api1.txt")" "0/1"
diag "$out"
done_testing
