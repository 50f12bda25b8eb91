#!/usr/bin/env bash
# The main job on the bundled default. Grows with the product (see README "What the demo does").
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x ./dgtools ] || { echo "error: run scripts/setup.sh first (./dgtools launcher missing)" >&2; exit 1; }
work=${DGTOOLS_DEMO_DIR:-$PWD/.work/demo}
mkdir -p "$work"
rm -f "$work/general.dg"
./dgtools init "$work/general.dg" --lang en
./dgtools modelinfo "$work/general.dg"
