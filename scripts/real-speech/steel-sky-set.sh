#!/usr/bin/env bash
# Builds the demo's real-speech domain: recordings of the actors of Beneath a Steel Sky (Debian's
# beneath-a-steel-sky package; docs/real-speech.md) full of names the general English model lacks.
#
#   scripts/real-speech/steel-sky-set.sh OUT_DIR
#
# OUT_DIR/steel-sky/ becomes one data set (wav + txt) with its split fixed by keep_train.lst / keep_validate.lst:
#   train:    the game's first four scenes (sections 0-3): every clip that names one of the characters below, and as
#             many other clips of those scenes (every n-th), so the set is not only names;
#   validate: the later scenes (sections 4-6), every clip that names one of them: new sentences, same actors, as a
#             customer's later recordings would be.
# The general English model is never trained on this game (scripts/real-speech/build.sh's BASS clips are kept out
# of the general corpus for this reason). Needs apt-get download (the packages are cached in
# ~/.cache/dgtools/debs); the extracted clips are cached in ~/.cache/dgtools/real-speech/bass.
set -euo pipefail
if [ $# -ne 1 ]; then sed -n '2,15p' "$0"; exit 2; fi
out=$1
here=$(cd "$(dirname "$0")" && pwd)
bass=${DGTOOLS_BASS_CACHE:-$HOME/.cache/dgtools/real-speech/bass}

[ -f "$bass/manifest.tsv" ] || "$here/build.sh" en "$bass" bass >/dev/null
set_dir="$out/steel-sky"
rm -rf "$set_dir.tmp"
mkdir -p "$set_dir.tmp"
python3 - "$bass" "$set_dir.tmp" <<'EOF'
import os, sys
bass, out = sys.argv[1], sys.argv[2]
names = {"linc", "linc's", "joey", "joey's", "overmann", "schriebmann", "piermont", "hobbins", "hobart",
         "gallagher", "colston", "android", "androids", "spunky", "greaves", "norville"}
rows = [line.rstrip("\n").split("\t") for line in open(os.path.join(bass, "manifest.tsv"), encoding="utf-8")][1:]
train, validate, others = [], [], []
for source, split, speaker, clip, seconds, audio, raw, text in rows:
    scene = int(clip.split("-")[0])
    named = any(word in names for word in text.split())
    if scene <= 3:
        (train if named else others).append((clip, audio))
    elif named:
        validate.append((clip, audio))
step = max(1, len(others) // len(train))
train += others[::step][:len(train)]
for clip, audio in train + validate:
    wav = os.path.join(bass, audio)
    for src, ext in ((wav, ".wav"), (wav[:-4] + ".txt", ".txt")):
        os.link(src, os.path.join(out, clip + ext))
with open(os.path.join(out, "keep_train.lst"), "w") as f:
    f.write("".join(clip + "\n" for clip, _ in sorted(train)))
with open(os.path.join(out, "keep_validate.lst"), "w") as f:
    f.write("".join(clip + "\n" for clip, _ in sorted(validate)))
print(f"steel-sky: {len(train)} training recordings, {len(validate)} validation recordings")
EOF
cp "$bass/dgdatasets/real-bass/LICENSE" "$set_dir.tmp/LICENSE"
rm -rf "$set_dir"
mv "$set_dir.tmp" "$set_dir"
