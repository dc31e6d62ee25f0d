#!/usr/bin/env bash
# The hardened systemd units of contrib/systemd (issue 7): systemd-analyze
# verify accepts them (with ExecStart pointing at the built binary), the
# offline security analysis rates them at most 2.0 (edge) and 1.5 (API),
# the directives the threat model relies on are present, and the
# configuration check the edge unit runs before starting really works.
set -u
. "$(dirname "$0")/lib.sh"
U=$XR_ROOT/contrib/systemd
D=$(mktemp -d /tmp/xr-units.XXXXXX); on_exit_rm "$D"

# value KEY FILE: the last value of KEY= in a unit file (systemd's rule for
# settings that are not lists)
value() { awk -F= -v k="$1" '$1 == k { v = substr($0, length(k) + 2) } END { print v }' "$2"; }

for u in xrouted@ xrouted-api; do
  sed "s|/usr/sbin/xrouted|$XR_BUILD/xrouted|g" "$U/$u.service" >"$D/$u.service"
done
cp "$D/xrouted@.service" "$D/xrouted@edge-primary.service"

if command -v systemd-analyze >/dev/null; then
  out=$(systemd-analyze verify --man=no "$D/xrouted@edge-primary.service" \
    "$D/xrouted-api.service" 2>&1); rc=$?
  check_eq "systemd-analyze verify: both units clean" "$rc:$out" "0:"
  for x in "xrouted@edge-primary 2.0" "xrouted-api 1.5"; do
    set -- $x
    lvl=$(systemd-analyze security --offline=true "$D/$1.service" 2>&1 |
      sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
    if [ -n "$lvl" ] && awk -v l="$lvl" -v m="$2" 'BEGIN { exit !(l <= m) }'; then
      ok "$1: exposure level $lvl <= $2"
    else
      not_ok "$1: exposure level '$lvl' <= $2"
    fi
  done
else
  skip "systemd-analyze verify" "systemd-analyze not installed"
fi

E=$U/xrouted@.service A=$U/xrouted-api.service
check_eq "edge: capability bounding set" \
  "$(value CapabilityBoundingSet "$E")" "CAP_NET_ADMIN CAP_NET_BIND_SERVICE"
check_eq "edge: ambient capabilities" \
  "$(value AmbientCapabilities "$E")" "CAP_NET_ADMIN CAP_NET_BIND_SERVICE"
check_eq "API: no capability at all" \
  "$(value CapabilityBoundingSet "$A")/$(value AmbientCapabilities "$A")" "/"
for f in "$E" "$A"; do
  n=$(basename "$f")
  check_eq "$n: user, no new privileges, read-only system, umask o-rwx" \
    "$(value User "$f") $(value NoNewPrivileges "$f") $(value ProtectSystem "$f") $(value ProtectHome "$f") $(value PrivateTmp "$f") $(value UMask "$f" | cut -c4)" \
    "xroute yes strict yes yes 7"
  check_eq "$n: system calls filtered, namespaces and SUID refused" \
    "$(grep -c '^SystemCallFilter=' "$f") $(value RestrictNamespaces "$f") $(value RestrictSUIDSGID "$f") $(value MemoryDenyWriteExecute "$f")" \
    "2 yes yes yes"
done
check_eq "edge: address families" "$(value RestrictAddressFamilies "$E")" \
  "AF_INET AF_INET6 AF_UNIX AF_NETLINK"
check_eq "API: address families (no netlink)" \
  "$(value RestrictAddressFamilies "$A")" "AF_INET AF_INET6 AF_UNIX"

# ExecStartPre's configuration check: accepts a good file, refuses a bad one
cat >"$D/ok.conf" <<EOF
router-id 10.255.0.1
as 12076
control "$D/x.sock"
context "c" { neighbor 192.0.2.1 { remote-as 65001 } }
EOF
printf 'router-id 10.255.0.1\nas 99999999999\n' >"$D/bad.conf"
pre=$(value ExecStartPre "$E")
check_eq "ExecStartPre is the configuration check" "${pre%% -f *}" \
  "/usr/sbin/xrouted -n"
"$XR_BUILD/xrouted" -n -f "$D/ok.conf" >/dev/null 2>&1; r1=$?
"$XR_BUILD/xrouted" -n -f "$D/bad.conf" >"$D/bad.out" 2>&1; r2=$?
check_eq "xrouted -n: a good file passes, a bad one fails" "$r1/$((r2 != 0))" "0/1"
done_testing
