#!/usr/bin/env bash
# Anneals a published general model on its (grown or rebuilt) corpus: a few passes at a low peak rate with a cosine
# decay that finishes inside one session. Cheaper than a warm restart of the from-scratch recipe, which needs a long
# schedule to come back down from its peak (docs/lab/models-notebook.md). Resumable: run the same command again.
#
#   scripts/anneal-general.sh LANG CORPUS_DIR [PASSES] [PEAK_RATE] [AUTOTRAIN_FLAG...]   (defaults: 2 passes, 5e-4)
#
# Further arguments go to `dgtools autotrain` as they are (e.g. --frequency-warp 0.1). No weight merge: an anneal
# keeps what it learned (--merge-ratio 1; the merge is a guard for customer fine-tuning).
# SETS= picks the corpus's training sets by a find -name pattern (default general-[0-9]*, all of them);
# EXTRA_DATASETS=DIR[:DIR…] adds training sets from elsewhere (real speech).
# Starts from models/general-LANG.dg (MODEL= to name another) in .work/general-LANG-anneal/ (WORK= to name another); the corpus's
# general-validate is the guard set, never trained on. Publish the result with
#   scripts/publish-general.sh LANG CORPUS_DIR .work/general-LANG-anneal/anneal.last.dg
set -euo pipefail
cd "$(dirname "$0")/.."
lang=${1:?usage: scripts/anneal-general.sh LANG CORPUS_DIR [PASSES] [PEAK_RATE] [AUTOTRAIN_FLAG...]}
corpus=${2:?usage: scripts/anneal-general.sh LANG CORPUS_DIR [PASSES] [PEAK_RATE] [AUTOTRAIN_FLAG...]}
passes=${3:-2}
rate=${4:-5e-4}
shift $(( $# < 4 ? $# : 4 ))
repo=$(pwd)
model=${MODEL:-$repo/models/general-$lang.dg}
work=${WORK:-$repo/.work/general-$lang-anneal}
dgtools=${DGTOOLS_BIN:-$repo/dgtools}
[ -x "$dgtools" ] || scripts/setup.sh
[ -d "$corpus/dgdatasets" ] || { echo "error: no corpus at $corpus (run scripts/build-corpus.sh $lang $corpus)" >&2; exit 1; }
mkdir -p "$work"
list="$work/datasets.lst"
find "$corpus/dgdatasets" -mindepth 1 -maxdepth 1 -type d -name "${SETS:-general-[0-9]*}" | sort > "$list"
# EXTRA_DATASETS: more training sets (e.g. real speech from scripts/real-speech/build.sh), separated by ':'.
[ -n "${EXTRA_DATASETS:-}" ] && tr ':' '\n' <<< "$EXTRA_DATASETS" | grep -v '^$' >> "$list"
[ -f "$work/anneal.dg" ] || cp "$model" "$work/anneal.dg"
threads=()
[ -n "${THREADS:-}" ] && threads=(--threads "$THREADS")
cd "$work"
DGTOOLS_RESOURCE_DIR="$corpus" exec "$dgtools" autotrain anneal.dg --top-off "${threads[@]}" \
  --dataset-locations "$list" --revisit-count "$passes" --learning-rate "$rate" --replay-fraction 0 --merge-ratio 1 \
  --validate-every "${VALIDATE_EVERY:-1000}" --max-validation-samples 200 --guard-dataset "$corpus/dgdatasets/general-validate" "$@"
