#!/bin/sh
# Aligning an hour of synthetic CTC posteriors: the C# aligner and the PyTorch reference (banded search) side by side.
# Usage: bench/alignment/run.sh [WORKDIR]   (run when `uptime` shows a load below 1.5; results: docs/benchmarks.md)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=${1:-/tmp/dgtools-alignbench}
mkdir -p "$work"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 "$here/reference_align.py" make-long "$work" --minutes 61
dotnet build "$here/AlignmentBench" -c Release -v q -nologo >/dev/null
bin="$here/AlignmentBench/bin/Release/net10.0/linux-x64/AlignmentBench"
echo "C#:      $(/usr/bin/time -f '%e s wall, %M KB max RSS' "$bin" "$work" --path-out "$work/cs.path.json" 2>&1 | tr '\n' ' ')"
echo "PyTorch: $(LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/time -f '%e s wall, %M KB max RSS' \
  /usr/bin/python3 "$here/reference_align.py" bench "$work/long.f32" "$work/long.words.json" --units 28 --garbage -4 \
  --band --path-out "$work/py.path.json" 2>&1 | tr '\n' ' ')"
/usr/bin/python3 -c "
import json, sys
a = json.load(open('$work/cs.path.json')); b = json.load(open('$work/py.path.json'))
same = sum(x == y for x, y in zip(a, b))
print(f'paths: {same} of {len(a)} frames in the same state ({same / len(a):.4%})')"
