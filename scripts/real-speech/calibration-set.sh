#!/usr/bin/env bash
# Lays out a real-speech calibration set for a general model's word-confidence map: the utterances of the given real
# training data sets that a training run kept for validation (never trained on), linked into
# OUT_DIR/dgdatasets/calibration-real/. scripts/publish-general.sh fits on it beside the synthetic calibration sets
# when CALIBRATION_SETS names it, so the map also learns how real voices move the evidence.
#
#   scripts/real-speech/calibration-set.sh RESOURCE_DIR OUT_DIR DATASET_DIR...
#
# RESOURCE_DIR is the training run's resource directory (its .train_meta/datasetsplits.meta_jm holds the split);
# DATASET_DIRs are the real data sets it trained on (e.g. the lines of an anneal's EXTRA_DATASETS). Digits-only sets
# (FSDD) are best left out: their held-out speaker then stays a domain the map never saw.
set -euo pipefail
if [ $# -lt 3 ]; then sed -n '2,11p' "$0"; exit 2; fi
splits="$1/.train_meta/datasetsplits.meta_jm"
[ -f "$splits" ] || { echo "error: no data-set split in $1 (expected $splits)" >&2; exit 1; }
out="$2/dgdatasets/calibration-real"
shift 2
rm -rf "$out.tmp"
mkdir -p "$out.tmp"
python3 - "$splits" "$out.tmp" "$@" <<'PY'
import os, sys
splits, out, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
by_name = {os.path.basename(os.path.normpath(d)): os.path.abspath(d) for d in dirs}
lines = open(splits, encoding="utf-8").read().splitlines()
if not lines or not lines[0].startswith("dgtools-datasetsplits"):
    sys.exit(f"error: not a dgtools data-set split file ({splits})")
linked = 0
for line in lines[1:]:
    side, key = line.split("\t", 1)
    name, stem = key.split("/", 1)
    if side != "validate" or name not in by_name:
        continue
    wav, txt = (os.path.join(by_name[name], stem + ext) for ext in (".wav", ".txt"))
    if not (os.path.isfile(wav) and os.path.isfile(txt)):
        continue
    base = f"{name}-{stem.replace('/', '_')}"
    os.symlink(wav, os.path.join(out, base + ".wav"))
    os.symlink(txt, os.path.join(out, base + ".txt"))
    linked += 1
if linked == 0:
    sys.exit("error: none of the data sets given has validation utterances in " + splits)
print(f"calibration-set.sh: {linked} validation utterances of {len(by_name)} data sets")
PY
rm -rf "$out"
mv "$out.tmp" "$out"
echo "$out"
