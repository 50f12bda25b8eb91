#!/usr/bin/env bash
# The long reliability runs recorded in docs/reliability.md: N SIGKILL trials of autotrain (default 20) and every
# fuzz target for S seconds each (default 60). CI runs the same tests with 3 kills and a few seconds per target.
#   bench/reliability/run-long.sh [KILL_TRIALS] [FUZZ_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
trials="${1:-20}"
seconds="${2:-60}"
dotnet build tests/DgTools.Tests -c Release -v quiet
DGTOOLS_KILL_TRIALS="$trials" DGTOOLS_KILL_SEED="${DGTOOLS_KILL_SEED:-7}" \
  dotnet test tests/DgTools.Tests -c Release --no-build --logger "console;verbosity=detailed" \
  --filter "FullyQualifiedName~Reliability.CrashSafetyTests.Killed"
DGTOOLS_FUZZ_SECONDS="$seconds" \
  dotnet test tests/DgTools.Tests -c Release --no-build --logger "console;verbosity=detailed" \
  --filter "FullyQualifiedName~Reliability.FuzzTests"
