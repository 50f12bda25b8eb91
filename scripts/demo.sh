#!/usr/bin/env bash
# The main job on the bundled default: evaluate the bundled general English model on the demo's validation part
# (pharmacy sentences spoken by voices its training part never uses), custom-train it on the demo data with
# autotrain's defaults, then evaluate both models side by side: WER and added-word recall on the demo's validation
# part, WER on general-domain sentences (did the general domain suffer?). Then the same on real speech: the actors of
# Beneath a Steel Sky, whose names the general model lacks (scripts/real-speech/steel-sky-set.sh lays the set out from
# the clips scripts/setup.sh extracted from Debian's package; left out when they are missing, or with DGTOOLS_DEMO_REAL=0).
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

echo "== 1/6  The general model on the demo's validation part"
"$dg" evaluate general-en.dg
echo
echo "== 2/6  dgtools autotrain general-en.dg (defaults)"
"$dg" autotrain general-en.dg
echo
echo "== 3/6  Before and after, on the demo's validation part"
"$dg" evaluate general-en.dg general-en.last.dg --report "$work/report"
echo
echo "== 4/6  Forgetting check: before and after, on general-domain sentences (demo/general-validate)"
"$dg" evaluate general-en.dg general-en.last.dg --dataset-locations "$repo/demo/general-validate" --split all
echo
bass=${DGTOOLS_BASS_CACHE:-$HOME/.cache/dgtools/real-speech/bass}
reports="Report: $work/report/report.md"
if [ "${DGTOOLS_DEMO_REAL:-1}" = 0 ]; then
  :
elif [ ! -f "$bass/manifest.tsv" ]; then
  echo "(the real-speech part is left out: $bass is missing; scripts/setup.sh builds it)"
else
  echo "== 5/6  Real speech: the actors of Beneath a Steel Sky (built from Debian's beneath-a-steel-sky package)"
  mkdir -p "$work/real/res/dgdatasets"
  "$repo/scripts/real-speech/steel-sky-set.sh" "$work/real/res/dgdatasets"
  cp "$general" "$work/real/general-en.dg"
  cd "$work/real"
  # 10 passes (autotrain's --top-off count) instead of 20 keep this part to a few minutes.
  DGTOOLS_RESOURCE_DIR="$work/real/res" "$dg" autotrain general-en.dg --revisit-count 10
  echo
  echo "== 6/6  Before and after, on later scenes of the game (same actors, new sentences)"
  DGTOOLS_RESOURCE_DIR="$work/real/res" "$dg" evaluate general-en.dg general-en.last.dg --report "$work/real/report"
  echo
  reports="Reports: $work/report/report.md, $work/real/report/report.md"
fi
echo "$reports"
