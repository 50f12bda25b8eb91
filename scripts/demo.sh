#!/usr/bin/env bash
# The main job on the bundled default: evaluate the bundled general English model on the demo's validation part
# (pharmacy sentences spoken by voices its training part never uses), custom-train it on the demo data with
# autotrain's defaults, then evaluate both models side by side: WER and added-word recall on the demo's validation
# part, WER on general-domain sentences (did the general domain suffer?).
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
# As the guide does: a copy of the general model. Its forgetting guards (models/general-en.replay and .guard) are
# found by the model's uuid among the installed general models.
cp "$general" "$work/general-en.dg"
export DGTOOLS_RESOURCE_DIR="$work/res"
cd "$work"
dg="$repo/dgtools"

echo "== 1/4  The general model on the demo's validation part"
"$dg" evaluate general-en.dg
echo
echo "== 2/4  dgtools autotrain general-en.dg (defaults)"
"$dg" autotrain general-en.dg
echo
echo "== 3/4  Before and after, on the demo's validation part"
"$dg" evaluate general-en.dg general-en.last.dg --report "$work/report"
echo
echo "== 4/4  Forgetting check: before and after, on general-domain sentences (demo/general-validate)"
"$dg" evaluate general-en.dg general-en.last.dg --dataset-locations "$repo/demo/general-validate" --split all
echo
echo "Report: $work/report/report.md"
