#!/usr/bin/env bash
# Where a model's added words go: WER and added-word recall under several decoding settings (RecallSweep/Program.cs).
#   DGTOOLS_RESOURCE_DIR=RES bench/decoding/recall-sweep.sh MODEL DATASETS|- SPLIT [--print] [--explain] [--relex BASE.dg] -- "key=value ..." ...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dotnet build "$here/RecallSweep/RecallSweep.csproj" -c Release -o "$here/RecallSweep/bin/out" >/dev/null
DOTNET_GCgen0size=${DOTNET_GCgen0size:-0x10000000} "$here/RecallSweep/bin/out/RecallSweep" "$@"
