#!/usr/bin/env bash
# Measures the forgetting guards on the bundled demo: for each variant, `dgtools autotrain` on demo/dgdatasets/pharmacy
# from the same general model, then `dgtools evaluate` (beam + LM, the model's stored defaults) on
#   - the demo's validation part (voices the demo's training part never uses): WER and added-word recall;
#   - the general-domain set demo/general-validate (20 general sentences): WER before and after, i.e. forgetting.
#   - with GENERAL_SET=DIR, also a larger general-domain set (e.g. a corpus's dgdatasets/general-validate, 400
#     sentences: one word is ~0.04 points where in the 20 sentences it is 0.8).
# Prints one table row per variant (Markdown) and keeps every run's output under OUT.
#
#   bench/model/forgetting-guard.sh [MODEL] [OUT] [VARIANT...]
#
# MODEL defaults to models/general-en.dg; a VARIANT is name=autotrain-flags, e.g. "anchor10=--anchor-weight 10".
# AUTOTRAIN_FLAGS (e.g. "--threads 1") are added to every variant's autotrain.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
model=$(realpath "${1:-$repo/models/general-en.dg}")
out=${2:-/tmp/forgetting-guard}
shift $(( $# > 2 ? 2 : $# ))
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=(
  "none=--anchor-weight 0 --replay-fraction 0"
  "anchor0.001=--anchor-weight 0.001 --replay-fraction 0"
  "anchor1=--anchor-weight 1 --replay-fraction 0"
  "anchor10=--anchor-weight 10 --replay-fraction 0"
  "freeze3=--freeze-layers 3 --replay-fraction 0"
  "replay0.5=--replay-fraction 0.5"
  "replay1=--replay-fraction 1"
)
dg=${DGTOOLS_BIN:-$repo/dgtools}
export DOTNET_GCgen0size=${DOTNET_GCgen0size:-0x10000000}
mkdir -p "$out"

json_field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['models'][int(sys.argv[2])][sys.argv[3]])" "$@"; }
pct() { python3 -c "import sys; v=sys.argv[1]; print('n/a' if v=='None' else f'{float(v)*100:.1f} %')" "$1"; }

echo "model: $model ($(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
echo
large=${GENERAL_SET:+ | general WER ($(basename "$GENERAL_SET")) before → after}
echo "| variant | autotrain flags | demo WER | added-word recall | general WER before → after | relative change${large} | wall s |"
echo "|---|---|---:|---:|---:|---:|${GENERAL_SET:+---:|}---:|"
for v in "${variants[@]}"; do
  name=${v%%=*}; flags=${v#*=}
  work="$out/$name"
  rm -rf "$work"; mkdir -p "$work/res/dgdatasets"
  ln -s "$repo/demo/dgdatasets/pharmacy" "$work/res/dgdatasets/pharmacy"
  cp "$model" "$work/general-en.dg"
  ln -s "$repo/demo/general-validate" "$work/general-en.guard"
  replay=${REPLAY_DIR:-$repo/models/general-en.replay}   # general-domain training utterances for the replay guard
  [ -d "$replay" ] && ln -s "$replay" "$work/general-en.replay"
  (
    cd "$work"
    export DGTOOLS_RESOURCE_DIR="$work/res"
    start=$(date +%s)
    # shellcheck disable=SC2086
    "$dg" autotrain general-en.dg $flags ${AUTOTRAIN_FLAGS:-} > autotrain.log 2>&1
    echo $(( $(date +%s) - start )) > wall.txt
    "$dg" evaluate general-en.dg general-en.last.dg --json > demo.json 2> evaluate.log
    "$dg" evaluate general-en.dg general-en.last.dg --dataset-locations "$repo/demo/general-validate" --split all --json > general.json 2>> evaluate.log
    if [ -n "${GENERAL_SET:-}" ]; then
      "$dg" evaluate general-en.dg general-en.last.dg --dataset-locations "$GENERAL_SET" --split all --json > large.json 2>> evaluate.log
    fi
  )
  before=$(json_field "$work/general.json" 0 wer); after=$(json_field "$work/general.json" 1 wer)
  rel=$(python3 -c "import sys; b,a=map(float,sys.argv[1:]); print(f'{(a-b)/b*100:+.1f} %' if b>0 else 'n/a')" "$before" "$after")
  column=""
  [ -n "${GENERAL_SET:-}" ] && column=" $(pct "$(json_field "$work/large.json" 0 wer)") → $(pct "$(json_field "$work/large.json" 1 wer)") |"
  echo "| $name | \`$flags\` | $(pct "$(json_field "$work/demo.json" 1 wer)") | $(pct "$(json_field "$work/demo.json" 1 added_words_recall)") | $(pct "$before") → $(pct "$after") | $rel |$column $(cat "$work/wall.txt") |"
done
