#!/usr/bin/env bash
# Evaluate's speed-up from batching across files (docs/benchmarks.md, "Inference engine").
# Usage: bench/inference/run.sh [MODEL] [DIR] [MAX_UTTERANCES] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_GCgen0size=${DOTNET_GCgen0size:-0x10000000}
dotnet run -c Release --project bench/inference/InferenceBench -- "${1:-models/general-en.dg}" "${2:-demo:models/general-en.replay}" "${3:-400}" "${4:-0}"
