#!/bin/sh
# Training step of our Conformer-CTC (TorchSharp) vs the PyTorch reference (OpenBLAS), same config, batch and threads,
# plus the step's achieved FLOP/s against the dense matmul peak. Extra arguments go to both (e.g. --subsampling 8).
# Usage: bench/model/run.sh [--batch 16 --frames 600 --threads 2 ...]   (run when `uptime` shows a load below 1.5)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet build "$here/TrainStepBench" -c Release -v q -nologo >/dev/null
"$here/TrainStepBench/bin/Release/net10.0/linux-x64/TrainStepBench" "$@"
cd "$here" && LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 bench_train_step.py "$@"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
