#!/usr/bin/env bash
# Makes the replay set that ships beside a general model (models/general-LANG.replay/): a fixed, evenly spaced
# selection of the general corpus's TRAINING utterances (never validation or held-out ones), as Ogg Vorbis to keep the
# repository small. `dgtools autotrain` mixes them into fine-tuning (replay, the default forgetting guard: docs/recipe.md).
#
#   scripts/build-replay.sh LANG [CORPUS_DIR] [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
lang=${1:?usage: scripts/build-replay.sh LANG [CORPUS_DIR] [COUNT]}
corpus=${2:-/work/corpus/$lang}
count=${3:-120}
out="models/general-$lang.replay"
mapfile -t all < <(find "$corpus/dgdatasets" -path '*/general-[0-9]*/*.wav' | sort)
[ ${#all[@]} -ge "$count" ] || { echo "error: only ${#all[@]} training utterances in $corpus" >&2; exit 1; }
tmp="$out.tmp"
rm -rf "$tmp"; mkdir -p "$tmp"
for ((i = 0; i < count; i++)); do
  wav=${all[$(( i * ${#all[@]} / count ))]}
  stem=$(basename "$wav" .wav)
  ffmpeg -loglevel error -i "$wav" -c:a libvorbis -q:a 4 -ac 1 -ar 16000 -map_metadata -1 -fflags +bitexact "$tmp/$stem.ogg"
  cp "${wav%.wav}.txt" "$tmp/$stem.txt"
done
rm -rf "$out"; mv "$tmp" "$out"
echo "$out: $count utterances, $(du -sh "$out" | cut -f1)"
