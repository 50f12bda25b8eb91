#!/usr/bin/env bash
# Carries a general model's training run across machines and sessions: copies the newest saved run state of
# scripts/train-general.sh (run.json + trainer.dgstate: weights, AdamW moments, counters; ~40 MB for the small model)
# into models/resume/general-LANG/, to be committed as one rolling file (replace it at most once per session).
# scripts/train-general.sh passes it to autotrain (--resume-state), which continues from it when the run has no state
# of its own — on a corpus rebuilt by build-corpus.sh (deterministic), the same training data. Carry only the state of
# a run whose corpus build had finished: a partial build's utterance set cannot be rebuilt (a run was lost so once; docs/lab/models-notebook.md).
#
#   scripts/save-general-state.sh LANG [CORPUS_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
lang=${1:?usage: scripts/save-general-state.sh LANG [CORPUS_DIR]}
corpus=${2:-/work/corpus/$lang}
state=$(ls -t "$corpus"/.train_meta/runs/*/trainer.dgstate 2>/dev/null | head -1 || true)
[ -n "$state" ] || { echo "error: no saved run state under $corpus/.train_meta/runs (run scripts/train-general.sh $lang first)" >&2; exit 1; }
run=$(dirname "$state")
out="models/resume/general-$lang"
mkdir -p "$out"
cp "$run/trainer.dgstate" "$out/trainer.dgstate.tmp" && mv "$out/trainer.dgstate.tmp" "$out/trainer.dgstate"
cp "$run/run.json" "$out/run.json.tmp" && mv "$out/run.json.tmp" "$out/run.json"
echo "saved $run -> $out ($(du -sh "$out" | cut -f1))"
