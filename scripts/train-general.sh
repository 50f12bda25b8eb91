#!/usr/bin/env bash
# Trains the general model for a language with dgtools itself, from scratch, on a corpus made by build-corpus.sh.
# Resumable: run the same command again after an interruption (dgtools autotrain resumes from its saved state).
# Validation every 400 samples on 200 of them: frequent checkpoints while CPU hours are scarce.
# es/nl/ko start from models/general-en.dg's encoder (dgtools init --encoder-from) unless ENCODER_FROM is set.
# ENCODER_FROM=models/general-en.dg for en is a warm restart: the whole network carries over and the from-scratch
# recipe runs again (a new schedule), e.g. on a grown or rebuilt corpus where the carried run state no longer fits.
# THREADS=N limits torch threads (two languages training side by side on 2 cores: THREADS=1 each).
# FRAME_TARGETS_FROM=MODEL (from scratch only): MODEL's alignments of the training transcripts teach the first 150
# updates by frame cross-entropy (autotrain --frame-targets-from; on the TTS corpus it skipped the all-blank plateau).
#
#   scripts/train-general.sh LANG [CORPUS_DIR] [REVISITS]
#
# CORPUS_DIR (default /work/corpus/LANG) is a dgtools resource directory (dgdatasets/general-NNN, general-validate);
# the work directory .work/general-LANG/ holds the init model and the checkpoints; models/general-LANG.dg is written
# by scripts/publish-general.sh from the best checkpoint.
set -euo pipefail
cd "$(dirname "$0")/.."
lang=${1:?usage: scripts/train-general.sh LANG [CORPUS_DIR] [REVISITS]}
corpus=${2:-/work/corpus/$lang}
revisits=${3:-30}
repo=$(pwd)
work="$repo/.work/general-$lang"
mkdir -p "$work"
dgtools=${DGTOOLS_BIN:-$repo/dgtools}   # a separately published copy keeps a long run safe from rebuilds
[ -x "$dgtools" ] || scripts/setup.sh
[ -d "$corpus/dgdatasets" ] || { echo "error: no corpus at $corpus (run scripts/build-corpus.sh $lang $corpus)" >&2; exit 1; }

# The training sets, one per line, as --dataset-locations takes them (general-validate is the guard set instead).
list="$work/datasets.lst"
find "$corpus/dgdatasets" -mindepth 1 -maxdepth 1 -type d -name 'general-[0-9]*' | sort > "$list"

init="$work/general-$lang.dg"
# Other languages start from the English model's encoder with a new output layer (ENCODER_FROM= to train from scratch).
encoder_from=${ENCODER_FROM-$([ "$lang" != en ] && [ -f "$repo/models/general-en.dg" ] && echo "$repo/models/general-en.dg" || true)}
if [ ! -f "$init" ]; then
  if [ -n "$encoder_from" ]; then
    "$dgtools" init "$init" --lang "$lang" --name "general" --encoder-from "$encoder_from" --seed 1
  else
    "$dgtools" init "$init" --lang "$lang" --name "general" --size small --seed 1
  fi
fi
# A run state carried in git (scripts/save-general-state.sh) continues the run when this machine has none of its own.
threads=()
[ -n "${THREADS:-}" ] && threads=(--threads "$THREADS")
carried=()
frame_targets=()
[ -n "${FRAME_TARGETS_FROM:-}" ] && frame_targets=(--frame-targets-from "$(realpath "$FRAME_TARGETS_FROM")")
[ -f "$repo/models/resume/general-$lang/trainer.dgstate" ] && carried=(--resume-state "$repo/models/resume/general-$lang")
cd "$work"
DGTOOLS_RESOURCE_DIR="$corpus" exec "$dgtools" autotrain "general-$lang.dg" "${carried[@]}" "${threads[@]}" "${frame_targets[@]}" \
  --dataset-locations "$list" --revisit-count "$revisits" --validate-every 400 --max-validation-samples 200 \
  --guard-dataset "$corpus/dgdatasets/general-validate"
