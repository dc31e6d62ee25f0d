#!/usr/bin/env bash
# The main job: install what is missing, build, and run the lab.
set -euo pipefail
cd "$(dirname "$0")"
scripts/deps.sh
make -s -j"$(nproc)"
if [ -x lab/lab.sh ]; then
  exec lab/lab.sh up
fi
echo "xroute: built; the lab (lab/lab.sh) is not in this tree yet" >&2
