#!/usr/bin/env bash
# Peak resident memory (VmHWM) of `dgtools autotrain` on N training sets of a corpus made by scripts/build-corpus.sh,
# from a fresh untrained small model: runs through feature preparation, the first validation, a few hundred samples
# and the next validation (with its checkpoint), then stops the run and prints the peak.
#
#   bench/autotrain/peak-rss.sh N [CORPUS_DIR] [DGTOOLS]
#
# CORPUS_DIR (default /work/corpus/en) is only read: the sets are symlinked into a resource directory under
# ${RSS_WORK:-/tmp/dgtools-peak-rss}, which keeps the feature cache and split between runs (the first run extracts
# the features; later runs measure a warm cache). Run sizes one at a time on a quiet machine.
set -euo pipefail
n=${1:?usage: bench/autotrain/peak-rss.sh N [CORPUS_DIR] [DGTOOLS]}
corpus=${2:-/work/corpus/en}
repo=$(cd "$(dirname "$0")/../.." && pwd)
dgtools=$(readlink -f "${3:-$repo/dgtools}")
work=${RSS_WORK:-/tmp/dgtools-peak-rss}
res="$work/res"
mkdir -p "$res/dgdatasets"
for set in "$corpus"/dgdatasets/general-*; do ln -sfn "$set" "$res/dgdatasets/$(basename "$set")"; done
find "$res/dgdatasets" -mindepth 1 -maxdepth 1 -name 'general-[0-9]*' | sort | head -n "$n" > "$work/sets-$n.lst"
cd "$work"
[ -f general-en.dg ] || "$dgtools" init general-en.dg --lang en --name general --size small --seed 1 >/dev/null
rm -f general-en.best.* general-en.checkpoint.* general-en.last.*
log="$work/autotrain-$n.log"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
DGTOOLS_RESOURCE_DIR="$res" "$dgtools" autotrain general-en.dg --dataset-locations "$work/sets-$n.lst" \
  --revisit-count 1 --validate-every 200 --max-validation-samples 200 \
  --guard-dataset "$res/dgdatasets/general-validate" --restart > "$log" 2>&1 &
launcher=$!
hwm=0
while kill -0 "$launcher" 2>/dev/null; do
  # The launcher execs dgtools, so its pid is the trainer's.
  hwm=$(awk '/VmHWM/{print $2}' "/proc/$launcher/status" 2>/dev/null || echo "$hwm")
  if grep -q "samples remaining:" "$log"; then
    sleep 3
    hwm=$(awk '/VmHWM/{print $2}' "/proc/$launcher/status")
    kill "$launcher"
    break
  fi
  sleep 1
done
wait "$launcher" 2>/dev/null || true
grep -m1 "Training samples:" "$log" || { tail -5 "$log"; exit 1; }
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "peak RSS (VmHWM): $((hwm / 1024)) MB"
