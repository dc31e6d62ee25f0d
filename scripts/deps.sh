#!/usr/bin/env bash
# Install the Debian packages xroute needs to build, test and run the lab.
# Safe to run again: it installs only what is missing. Needs root.
set -euo pipefail

PKGS=(
  # build
  gcc make pkg-config libc6-dev linux-libc-dev libmnl-dev libjansson-dev
  libmicrohttpd-dev libsqlite3-dev
  # fuzzing and sanitizers
  clang libclang-rt-14-dev afl++
  # lab, integration tests and interop peers
  iproute2 iputils-ping nftables netbase bird2 frr gobgpd sqlite3 curl
  bgpdump tcpdump procps psmisc python3
  # BMP collector (pmbmpd) for the MRT/BMP export test
  pmacct
  # systemd-analyze checks the units of contrib/systemd
  systemd
  # metrics: the Prometheus text parser (tests/integ/metrics.sh); the
  # prometheus package (promtool) installs 96 MB, too heavy for a check
  python3-prometheus-client
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "xroute: missing packages: ${missing[*]}; run as root to install them" >&2
  exit 1
fi
echo "xroute: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Named explicitly above, recommendations included or not: the C headers
# (libc6-dev) are only a recommendation of gcc.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The distribution services must not run on their own: tests start the
# daemons they need, in namespaces, with their own configurations.
for svc in bird frr gobgpd nfacctd pmacctd sfacctd uacctd; do
  systemctl disable --now "$svc" >/dev/null 2>&1 || true
done
