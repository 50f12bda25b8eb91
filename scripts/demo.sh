#!/usr/bin/env bash
# The main job on the bundled default: evaluate the bundled general English model on the demo's validation part
# (pharmacy sentences spoken by voices its training part never uses), custom-train it on the demo data with
# autotrain's defaults, then evaluate both models side by side: WER, added-word recall, general-domain accuracy.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
[ -x ./dgtools ] || { echo "error: run scripts/setup.sh first (./dgtools launcher missing)" >&2; exit 1; }
general="$repo/models/general-en.dg"
[ -f "$general" ] || { echo "error: the bundled general model is missing ($general)" >&2; exit 1; }

work=${DGTOOLS_DEMO_DIR:-$repo/.work/demo}
rm -rf "$work"
mkdir -p "$work/res/dgdatasets"
ln -s "$repo/demo/dgdatasets/pharmacy" "$work/res/dgdatasets/pharmacy"
cp "$general" "$work/general-en.dg"
ln -s "$repo/demo/general-validate" "$work/general-en.guard"    # the forgetting guard's general-domain set
ln -s "$repo/models/general-en.replay" "$work/general-en.replay" # general training speech replayed while fine-tuning
export DGTOOLS_RESOURCE_DIR="$work/res"
cd "$work"
dg="$repo/dgtools"

echo "== 1/3  The general model on the demo's validation part"
"$dg" evaluate general-en.dg
echo
echo "== 2/3  dgtools autotrain general-en.dg (defaults)"
"$dg" autotrain general-en.dg
echo
echo "== 3/3  Before and after"
"$dg" evaluate general-en.dg general-en.last.dg --report "$work/report"
echo
echo "Report: $work/report/report.md"
