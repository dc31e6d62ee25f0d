#!/usr/bin/env bash
# Debian packages the benchmark needs on top of scripts/deps.sh: the extra
# reference daemon OpenBGPD (BIRD 2, FRR and GoBGP come from scripts/deps.sh).
# Installs only what is missing; the distribution services are stopped so
# the benchmark alone starts daemons, in its own namespaces.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh

PKGS=(openbgpd)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "bench: missing packages: ${missing[*]}; run as root to install them" >&2
  exit 1
fi
echo "bench: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || {
  echo "bench: could not install ${missing[*]}; those daemons will be skipped" >&2
  exit 0
}
for svc in openbgpd bgpd; do
  systemctl disable --now "$svc" >/dev/null 2>&1 || true
done
