#!/usr/bin/env bash
# Publishes the best checkpoint of a general-model training run (scripts/train-general.sh) as models/general-LANG.dg:
# a deployable, trainable model whose lexicon comes from the corpus's training text pool (text/train.txt), with its decoding options (beam + word LM)
# tuned on the corpus's general-domain validation set (bench/decoding/tune.sh; never on the held-out test), and its
# word-confidence map fitted on that validation set plus the calibration sets (scripts/build-calibration-sets.sh:
# training voices in new-word, short and noisy conditions; made here when missing), every set weighing the same.
# CALIBRATION_SETS=DIR[:DIR…] adds data sets to that fit (e.g. real speech: scripts/real-speech/calibration-set.sh).
# TUNE_ARGS passes options to the tuning (e.g. TUNE_ARGS="--beam-size 256": the beam width stored in the model).
# Prints the tuning table, the calibration's before/after and the model's modelinfo.
#
#   scripts/publish-general.sh LANG [CORPUS_DIR] [CHECKPOINT]      (CHECKPOINT: e.g. an anneal-general.sh result)
set -euo pipefail
checkpoint=${3:+$(realpath -m "$3")}   # before the cd: relative to where the command was given
cd "$(dirname "$0")/.."
repo=$(pwd)
lang=${1:?usage: scripts/publish-general.sh LANG [CORPUS_DIR]}
corpus=${2:-/work/corpus/$lang}
work="$repo/.work/general-$lang"
dgtools=${DGTOOLS_BIN:-$repo/dgtools}
# The finished run's .last.dg when there is one (the guide's advice), else the best checkpoint: highest accuracy,
# then the later one (fewest samples remaining).
best=${checkpoint:-$work/general-$lang.last.dg}
[ -z "$checkpoint" ] || [ -f "$checkpoint" ] || { echo "error: no checkpoint $checkpoint" >&2; exit 1; }
if [ ! -f "$best" ]; then
  best=$( (ls "$work"/general-"$lang".best.*.dg 2>/dev/null || true) \
    | awk -F. '{ print $(NF-1), -$(NF-2), $0 }' | sort -k1,1nr -k2,2nr | head -1 | cut -d' ' -f3-)
fi
[ -n "$best" ] && [ -f "$best" ] || { echo "error: no checkpoint in $work yet (train-general.sh validates every 400 samples)" >&2; exit 1; }
echo "publishing $best"
tmp=$(mktemp -d)
(cd "$tmp" && "$dgtools" makedeployable "$best" --name general --tags "general-$lang" >/dev/null)
mkdir -p models
# The language model comes from the corpus's whole training text pool (far more than was synthesised; never the
# validation, test or demo sentences), then the decoding options are tuned on general-validate.
lexicon_text=()
[ -f "$corpus/text/train.txt" ] && lexicon_text=(--lexicon-text "$corpus/text/train.txt")
bench/decoding/tune.sh "$tmp"/*_deployable.dg "$corpus/dgdatasets/general-validate" --max-utterances 200 "${lexicon_text[@]}" ${TUNE_ARGS:-} --write "$tmp/tuned.dg"
# The confidence map (docs/models.md, "Word confidence"): fitted on the validation set alone it learns that set's
# base rate and is over-confident wherever the model is worse; the calibration sets teach it how the evidence moves.
if [ "$lang" = en ] && [ ! -s "$corpus/calibration/sets.lst" ]; then
  scripts/build-calibration-sets.sh "$corpus" || echo "warning: calibration sets not made (voices missing?); fitting on the validation set alone" >&2
fi
fit_sets="$tmp/calibration.lst"
echo "$corpus/dgdatasets/general-validate" > "$fit_sets"
[ -s "$corpus/calibration/sets.lst" ] && cat "$corpus/calibration/sets.lst" >> "$fit_sets"
[ -n "${CALIBRATION_SETS:-}" ] && tr ':' '\n' <<< "$CALIBRATION_SETS" | grep -v '^$' >> "$fit_sets"
"$dgtools" calibrate "$tmp/tuned.dg" --dataset-locations "$fit_sets" --split all --balance-sets -o "$tmp/calibrated.dg"
mv "$tmp/calibrated.dg" "models/general-$lang.dg"
rm -rf "$tmp"
"$dgtools" modelinfo "models/general-$lang.dg"
