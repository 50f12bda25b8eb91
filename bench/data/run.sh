#!/bin/sh
# Data benchmarks side by side: log-mel throughput of dgtools vs torchaudio's kaldi fbank at 1 and 2 threads on
# the real FSDD recordings, then discovery + split of 100,000 tiny files generated under WORKDIR.
# Usage: bench/data/run.sh [WORKDIR]   (run when `uptime` shows a load below 1.5; results: docs/benchmarks.md)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${FSDD:-$here/../../../shared/data/fsdd-digits}
work=${1:-/tmp/dgtools-databench}
mkdir -p "$work"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet build "$here/DataBench" -c Release -v q -nologo >/dev/null
bin="$here/DataBench/bin/Release/net10.0/linux-x64/DataBench"
for t in 1 2; do
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 "$here/bench_fbank.py" "$data" --threads $t \
    --dump "$work/torchaudio-fbank-100.f32"
  "$bin" fbank "$data" --threads $t --parity "$work/torchaudio-fbank-100.f32"
done
"$bin" discovery "$work/resources" --files 100000
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
