#!/usr/bin/env bash
# The test command: builds Release and runs every test; ends with the runner's summary and "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --deps-only
# TorchSharp can finalize a temporary Scalar while libtorch still reads it (random "Expected false to be true" /
# "Unknown scalar type" mid-training; Model/KeptScalars.cs keeps ours alive, TorchSharp's internals remain). A large
# gen-0 budget makes collections, and so that race, rare; the launcher sets the same. See docs/design.md.
export DOTNET_GCgen0size=${DOTNET_GCgen0size:-0x10000000}
dotnet build DgTools.slnx -c Release -nologo -clp:ErrorsOnly -v:quiet
results=$(mktemp -d)
status=0
dotnet test tests/DgTools.Tests -c Release --no-build -nologo \
  --logger "console;verbosity=normal" --logger "trx;LogFileName=tests.trx" --results-directory "$results" || status=$?
counters=$(grep -o '<Counters [^>]*>' "$results/tests.trx" || true)
num() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
total=$(num total); executed=$(num executed); passed=$(num passed); failed=$(num failed)
skipped=$(( total - executed ))
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
