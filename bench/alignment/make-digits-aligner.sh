#!/bin/sh
# Rebuilds tests/DgTools.Tests/Fixtures/Alignment/digits-aligner.dg: a tiny model (239 k parameters) that hears one
# speaker's spoken digits in running speech well enough to align long recordings made of them (the autotrain
# long-recording tests). Stage 1 learns single digits (george, takes 10-29); stage 2 learns 1-6 digits joined by
# silences (takes 10-49), without which the model hears nothing in a long recording. ~3 + 4 min on 2 busy cores.
# The tests use takes 1-9, which neither stage trains on.
# Usage: bench/alignment/make-digits-aligner.sh [WORKDIR]   (run from the repository root after a Release build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${1:-/tmp/dgtools-digits-aligner}
digits=$root/../shared/data/fsdd-digits
dgtools=$root/src/DgTools.Cli/bin/Release/net10.0/linux-x64/dgtools
rm -rf "$work" && mkdir -p "$work/single/dgdatasets/digits" "$work/joined/dgdatasets/seq"
for take in $(seq 10 29); do for d in 0 1 2 3 4 5 6 7 8 9; do
  ln -s "$digits/${d}_george_${take}.wav" "$digits/${d}_george_${take}.txt" "$work/single/dgdatasets/digits/"
done; done
/usr/bin/python3 "$here/concat_digits.py" "$digits" "$work/joined/dgdatasets/seq" --count 150 --takes 10-49 --seed 1
cd "$work"
"$dgtools" init digits.dg --size tiny --seed 3
DGTOOLS_RESOURCE_DIR=$work/single "$dgtools" autotrain digits.dg --revisit-count 40 --threads 2 --learning-rate 3e-3 --seed 3
cp digits.last.dg stage1.dg
DGTOOLS_RESOURCE_DIR=$work/joined "$dgtools" autotrain stage1.dg --revisit-count 12 --threads 2 --learning-rate 2e-3 --seed 4
cp stage1.last.dg "$root/tests/DgTools.Tests/Fixtures/Alignment/digits-aligner.dg"
