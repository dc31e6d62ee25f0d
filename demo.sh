#!/usr/bin/env bash
# The main job: install what is missing, build, and bring up the lab: one
# ExpressRoute circuit in network namespaces, with both BGP sessions and BFD
# up and traffic flowing, then print its summary.
set -euo pipefail
cd "$(dirname "$0")"
[ "$(id -u)" -eq 0 ] || { echo "demo.sh: run as root (network namespaces)" >&2; exit 1; }
scripts/deps.sh
make -s -j"$(nproc)"
build/xrctl lab up
cat <<'TXT'

Try:
  build/xrctl lab status                    the summary again
  build/xrctl -s /run/xroute-lab/msee1.sock show bgp summary
  build/xrctl -s /run/xroute-lab/msee1.sock show route
  build/xrctl lab fail primary              cut the primary link (silently)
  build/xrctl lab status                    traffic continues on the secondary
  build/xrctl lab restore                   heal it
  build/xrctl lab down                      remove everything
TXT
