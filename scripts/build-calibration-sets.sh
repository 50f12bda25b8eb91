#!/usr/bin/env bash
# Synthesises the extra sets a general model's word-confidence map is fitted on (scripts/corpus/calibration_sets.py
# says which and why) into CORPUS_DIR/calibration/dgdatasets/calibration-*/. Training voices only; deterministic and
# resumable like build-corpus.sh. Needs the corpus's text pools (CORPUS_DIR/text, from build-corpus.sh).
#
#   scripts/build-calibration-sets.sh CORPUS_DIR [PER_SET]      (PER_SET utterances per set, default 150)
set -euo pipefail
if [ $# -lt 1 ]; then sed -n '2,6p' "$0"; exit 2; fi
here=$(cd "$(dirname "$0")" && pwd)
corpus=$1
python3 "$here/corpus/calibration_sets.py" "$corpus" --per-set "${2:-150}"
nice -n 19 python3 "$here/corpus/synth.py" work "$corpus/calibration" --worker 0 --workers 1
ls -d "$corpus"/calibration/dgdatasets/calibration-* > "$corpus/calibration/sets.lst"
echo "build-calibration-sets.sh: $(cat "$corpus"/calibration/dgdatasets/calibration-*/*.txt | wc -l) utterances; list: $corpus/calibration/sets.lst"
