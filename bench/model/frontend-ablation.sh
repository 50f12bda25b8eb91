#!/usr/bin/env bash
# The front-end ablation of docs/models.md (issue #18): from the shipped general model, about equal amounts of further
# training (about 1.1 h of audio each, one anneal at peak 5e-4, band-limit augmentation on a third of the utterances)
#   A  synthetic only                      models/general-en.dg,               synthetic set only (2 passes)
#   B  + real data                         models/general-en.dg,               synthetic + real subset (1 pass)
#   C  + front end                         general-en.dg + speech-embedding,   synthetic set only (2 passes)
#   D  both                                general-en.dg + speech-embedding,   synthetic + real subset (1 pass)
#   E, F  D and C with the stream's projection at 20× the learning rate (--stream-rate-scale 20): at the common rate
#         the zero-initialised projection hardly moves in a run this short
# then every model on the real-speech development set (held out by speaker) and on the held-out synthetic voices.
#
#   bench/model/frontend-ablation.sh train ARM     (A, B, C or D; resumable: run it again)
#   bench/model/frontend-ablation.sh evaluate      (every finished arm, and the shipped model)
#
# SYNTH=/work/corpus-frontend/en-snap (a corpus from scripts/build-corpus.sh; SETS picks its training sets; the
# session-7 run used the first 528 utterances of `AUGMENT=strong scripts/build-corpus.sh en DIR 3`'s general-000 and the
# model's guard set as general-validate), HELDOUT= the reserved-voices test (600 utterances; `scripts/build-corpus.sh en
# DIR 0` makes the same one),
# REAL=/work/corpus-real/en (scripts/real-speech/build.sh: dgdatasets/real-* to train on, heldout/real-dev/ to test),
# EMBEDDING=~/.cache/dgtools/speech-embedding (scripts/fetch-speech-embedding.sh), OUT=.work/frontend-ablation.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
synth=${SYNTH:-/work/corpus-frontend/en-snap}
heldout=${HELDOUT:-/work/corpus-frontend/en-heldout/heldout/reserved-voices}
real=${REAL:-/work/corpus-real/en}
embedding=${EMBEDDING:-$HOME/.cache/dgtools/speech-embedding}
out=${OUT:-$repo/.work/frontend-ablation}
sets=${SETS:-general-000}
mkdir -p "$out"
[ -f "$out/v5.dg" ] || cp models/general-en.dg "$out/v5.dg"
[ -f "$out/v5-stream.dg" ] || ./dgtools init "$out/v5-stream.dg" --speech-embedding "$embedding" --extend "$out/v5.dg"
# Every EVERY-th clip (default 5) of every real training speaker of Asterisk, FOTAQ and FSDD, hard-linked into $out/real-subset/<source>-<speaker>/
# (the whole 3.3 h is more than this machine trains in a session while five other sessions share its two cores).
every=${EVERY:-5}
subset="$out/real-subset-$every"
if [ ! -d "$subset" ]; then
  for d in "$real"/dgdatasets/real-{asterisk,fotaq,fsdd}/*/; do
    name=$(basename "$(dirname "$d")")-$(basename "$d")
    find "$d" -maxdepth 1 -name '*.txt' | sort | awk -v n="$every" 'NR % n == 1' | while read -r t; do
      mkdir -p "$subset.tmp/$name"
      ln -f "$t" "${t%.txt}.wav" "$subset.tmp/$name/"
    done
  done
  mv "$subset.tmp" "$subset"
fi
real_sets=$(find "$subset" -mindepth 1 -maxdepth 1 -type d | sort | paste -sd:)

case ${1:?usage: frontend-ablation.sh train ARM | evaluate} in
  train)
    arm=${2:?arm A, B, C, D, E or F}
    rate=()
    case $arm in
      A) model=v5.dg;        extra="";           passes=2 ;;
      B) model=v5.dg;        extra=$real_sets;   passes=1 ;;
      C) model=v5-stream.dg; extra="";           passes=2 ;;
      D) model=v5-stream.dg; extra=$real_sets;   passes=1 ;;
      E) model=v5-stream.dg; extra=$real_sets;   passes=1; rate=(--stream-rate-scale 20) ;;
      F) model=v5-stream.dg; extra="";           passes=2; rate=(--stream-rate-scale 20) ;;
      *) echo "unknown arm $arm" >&2; exit 2 ;;
    esac
    # One resource directory per arm (autotrain locks its own), sharing the data sets and the feature cache.
    home="$out/$arm-home"
    mkdir -p "$home" "$out/features_cache"
    [ -e "$home/dgdatasets" ] || cp -al "$synth/dgdatasets" "$home/dgdatasets"   # hard links
    [ -e "$home/.features_cache" ] || ln -s "$out/features_cache" "$home/.features_cache"
    MODEL="$out/$model" WORK="$out/$arm" SETS="$sets" EXTRA_DATASETS="$extra" THREADS=1 VALIDATE_EVERY=2500 \
      OMP_NUM_THREADS=1 exec nice -n 10 scripts/anneal-general.sh en "$home" "$passes" 5e-4 --band-limit 0.3 "${rate[@]}"
    ;;
  evaluate)
    models=("$out/v5.dg")
    for arm in A B C D E F; do [ -f "$out/$arm/anneal.last.dg" ] && models+=("$out/$arm/anneal.last.dg"); done
    for set in "$real/heldout/real-dev/fotaq" "$real/heldout/real-dev/fsdd" "$heldout"; do
      echo "== $set"
      DGTOOLS_RESOURCE_DIR="$out/eval-home" OMP_NUM_THREADS=1 nice -n 10 ./dgtools evaluate "${models[@]}" --dataset-locations "$set" --split all
    done
    ;;
esac
