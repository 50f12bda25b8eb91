#!/usr/bin/env bash
# Builds the bundled demo data set (committed as demo/): a pharmacy domain whose drug names the general corpus
# never contains, for showing what `dgtools autotrain` adds to a general model.
#
#   scripts/build-demo.sh [OUT_DIR]        (default: demo/ in the repository)
#
#   OUT_DIR/dgdatasets/pharmacy/      training utterances (rx-NNNN) and cross-voice validation (rx-val-NNN,
#                                     listed in keep_validate.lst; spoken by voices absent from the training part)
#   OUT_DIR/general-validate/         general-domain sentences not in the corpus training text (forgetting guard)
#   OUT_DIR/added-words.txt           the domain terms
#   OUT_DIR/manifests/jobs.tsv        voice, rate and augmentation of every utterance
# Deterministic; 16 kHz mono 16-bit WAV; needs the voices from scripts/install-voices.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out_dir=${1:-$here/../demo}
corpus_py=$here/corpus

text_dir=$(mktemp -d)
trap 'rm -rf "$text_dir"' EXIT
python3 "$corpus_py/textpool.py" en "$text_dir" --exclude "$corpus_py/pharmacy-terms.txt" >/dev/null
python3 "$corpus_py/demo.py" plan "$out_dir" --text "$text_dir"
# Short pauses keep the committed data small (the budget is 15 MB).
pids=()
for k in 0 1; do
  nice -n 19 python3 "$corpus_py/synth.py" work "$out_dir" --worker $k --workers 2 --pad-min 0.05 --pad-max 0.12 &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
grep -h "failed:" "$out_dir"/manifests/worker*.log || true
rm -f "$out_dir"/manifests/worker*.log
python3 "$corpus_py/synth.py" stats "$out_dir"
du -sh "$out_dir"
