#!/usr/bin/env bash
# Synthesises a general speech corpus for one language from Debian's text-to-speech voices.
#
#   scripts/build-corpus.sh LANG OUT_DIR [HOURS]      (LANG: en, es, nl, ko; HOURS of training audio, default 5)
#
# OUT_DIR becomes a dgtools resource directory:
#   OUT_DIR/dgdatasets/general-NNN/<stem>.wav|.txt   training sets, 1000 utterances each (16 kHz mono 16-bit)
#   OUT_DIR/dgdatasets/general-validate/             validation: training voices, sentences not in the training
#                                                    text; keep_validate.lst forces every id into validation
#   OUT_DIR/heldout/reserved-voices/                 held-out test: ONLY the reserved voices (never trained on)
#   OUT_DIR/heldout/by-voice/<family>/               the same test per voice family (hard links)
#   OUT_DIR/text/, OUT_DIR/manifests/                sentence pools, the plan (voice/rate/augmentation per
#                                                    utterance) and worker logs with the measured speed
# AUGMENT=mild (default) or strong sets the sox augmentation mix (scripts/corpus/synth.py: AUGMENTATION).
# Deterministic (SEED), resumable (rerun to finish or grow: existing files are kept), parallel (WORKERS
# processes under nice 19). Needs the voices from scripts/install-voices.sh.
set -euo pipefail

if [ $# -lt 2 ]; then sed -n '2,16p' "$0"; exit 2; fi
lang=$1; out_dir=$2; hours=${3:-5}
seed=${SEED:-1234}
workers=${WORKERS:-2}
here=$(cd "$(dirname "$0")" && pwd)
corpus_py=$here/corpus

case $lang in
  en) utterances_per_hour=930; valid=400; test=600 ;;
  es|nl|ko) utterances_per_hour=900; valid=200; test=200 ;;
  *) echo "build-corpus.sh: unknown language '$lang' (en, es, nl, ko)" >&2; exit 2 ;;
esac
train=$(python3 -c "print(int(round($hours * $utterances_per_hour)))")

mkdir -p "$out_dir"
if [ ! -s "$out_dir/text/train.txt" ]; then
  python3 "$corpus_py/textpool.py" "$lang" "$out_dir/text" --seed "$seed" --exclude "$corpus_py/pharmacy-terms.txt"
fi
python3 "$corpus_py/synth.py" plan "$lang" "$out_dir" --text "$out_dir/text" \
  --train "$train" --valid "$valid" --test "$test" --seed "$seed" --augment "${AUGMENT:-mild}"

start=$(date +%s)
pids=()
for ((k = 0; k < workers; k++)); do
  nice -n 19 python3 "$corpus_py/synth.py" work "$out_dir" --worker "$k" --workers "$workers" &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
echo "build-corpus.sh: $lang synthesis finished in $(( $(date +%s) - start )) s wall time"
python3 "$corpus_py/synth.py" link-heldout "$out_dir"
python3 "$corpus_py/synth.py" stats "$out_dir" | tee "$out_dir/manifests/stats.txt"
exit $status
