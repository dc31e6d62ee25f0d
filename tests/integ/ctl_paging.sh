#!/usr/bin/env bash
# "show route" on a big table, page by page: the daemon answers at most
# CTL_ROUTE_PAGE (10,000) prefixes per request, in address order, with
# "next" to resume after; xrctl joins the pages. 20,000 IPv4 and 5,000
# IPv6 routes (originated by configuration) are read whole, in part, and
# across the IPv4 -> IPv6 boundary, and compared with the order Python's
# ipaddress module gives.
. "$(dirname "$0")/lib.sh"

xr_built || { skip "paging" "xrouted not built"; done_testing; exit; }
dir=$(mktemp -d /tmp/xr-pg.XXXXXX); chmod 755 "$dir"; on_exit_rm "$dir"
ns_create xr-pg-a || { not_ok "namespace"; done_testing; exit; }

# 20,000 IPv4 prefixes of mixed lengths (/24 and /25 of the same /24
# next to each other) and 5,000 IPv6 /48s, written in a shuffled order.
python3 - "$dir" <<'EOF'
import ipaddress, json, random, sys
d = sys.argv[1]
v4 = []
for i in range(10000):
    a = ipaddress.ip_network(f"10.{i // 256}.{i % 256}.0/24")
    v4 += [a, ipaddress.ip_network(f"10.{i // 256}.{i % 256}.0/25")]
v6 = [ipaddress.ip_network(f"2001:db8:{i:x}::/48") for i in range(5000)]
want = sorted(v4, key=lambda n: (int(n.network_address), n.prefixlen)) + \
    sorted(v6, key=lambda n: (int(n.network_address), n.prefixlen))
rows = list(v4 + v6)
random.seed(7)
random.shuffle(rows)
with open(f"{d}/xrouted.conf", "w") as f:
    f.write('router-id 10.99.0.1\nas 65000\ncontext "big" {\n')
    for n in rows:
        f.write(f"  route {n}\n")
    f.write("}\n")
json.dump([str(n) for n in want], open(f"{d}/want.json", "w"))
EOF

start_xrouted xr-pg-a "$dir" || { not_ok "xrouted starts"; diag "$(tail "$dir/xrouted.log")"; done_testing; exit; }

# nets FILE: the networks of a reply, one per line
nets() { python3 -c 'import json,sys; [print(r["network"]) for r in json.load(open(sys.argv[1]))["routes"]]' "$1"; }
want_lines() {  # from count: lines from..from+count-1 of the sorted list
  python3 -c 'import json,sys; w=json.load(open(sys.argv[1])); [print(n) for n in w[int(sys.argv[2]):int(sys.argv[2])+int(sys.argv[3])]]' \
    "$dir/want.json" "$1" "$2"
}

xrctl_ "$XR_SOCK" show route big >"$dir/def.json"
check_eq "default: the first 10,000 prefixes in address order" \
  "$(nets "$dir/def.json" | md5sum)" "$(want_lines 0 10000 | md5sum)"
check_eq "default: truncated, next = the 10,000th prefix" \
  "$(json_get "str(d['truncated']) + ' ' + d['next']" <"$dir/def.json")" \
  "True $(want_lines 9999 1)"

xrctl_ "$XR_SOCK" show route big --limit 0 >"$dir/all.json"
check_eq "--limit 0: all 25,000 in order over three pages, IPv4 then IPv6" \
  "$(nets "$dir/all.json" | md5sum)" "$(want_lines 0 25000 | md5sum)"
check_eq "--limit 0: not truncated, no next, 25,000 prefixes visited" \
  "$(json_get "'%s %s %d' % (d['truncated'], 'next' in d, d['prefixesVisited'])" <"$dir/all.json")" \
  "False False 25000"

xrctl_ "$XR_SOCK" show route big --limit 12345 >"$dir/part.json"
check_eq "--limit 12,345: exactly the first 12,345 (two pages)" \
  "$(nets "$dir/part.json" | md5sum)" "$(want_lines 0 12345 | md5sum)"

# one raw page across the family boundary: after the last IPv4 prefix
last4=$(want_lines 19999 1)
xrctl_ "$XR_SOCK" show route big --after "$last4" --limit 3 >"$dir/b.json"
check_eq "--after the last IPv4 prefix: the first three IPv6 ones" \
  "$(nets "$dir/b.json" | tr '\n' ' ')" "$(want_lines 20000 3 | tr '\n' ' ')"
xrctl_ "$XR_SOCK" show route big --after 10.0.5.0/24 --limit 2 >"$dir/c.json"
check_eq "--after a /24: its /25 comes next, then the following /24" \
  "$(nets "$dir/c.json" | tr '\n' ' ')" "10.0.5.0/25 10.0.6.0/24 "

out=$("$XR_BUILD/xrctl" -s "$XR_SOCK" show route big --after nonsense 2>&1)
check_eq "--after needs a prefix: clear error, exit 64" "$?: $out" \
  "64: xrctl: --after needs the PREFIX to resume after (the \"next\" of a reply)
usage: xrctl [-j] [-s socket] command [argument ...]
       (xrctl --help for the commands)"

txt=$("$XR_BUILD/xrctl" -s "$XR_SOCK" show route big --limit 20001)
check_eq "text: 20,001 rows and the truncation hint" \
  "$(grep -c '^[0-9a-f:.]*/[0-9]' <<<"$txt") $(tail -1 <<<"$txt")" \
  "20001 (only the first 20001 shown; --limit N for more, --limit 0 for all)"

done_testing
