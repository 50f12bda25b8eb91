#!/usr/bin/env bash
# The test command: builds Release (the library, the CLI, the benches and the tests) and runs every test; ends with
# "N passed, N failed, N skipped". Tests whose data or tools are missing (../shared, python3-torch, a tmpfs mount)
# are skipped with their reason and counted as skipped.
#   scripts/test.sh            the full suite (CI: .ci/run)
#   scripts/test.sh --fast     the edit loop: everything but the classes marked [Trait("Tier", "Slow")] (training
#                              runs, crash and fuzz trials, parity with processes)
set -euo pipefail
cd "$(dirname "$0")/.."
filter=()
case "${1:-}" in
  --fast) filter=(--filter "Tier!=Slow") ;;
  "") ;;
  *) echo "usage: scripts/test.sh [--fast]" >&2; exit 2 ;;
esac
scripts/setup.sh --deps-only
# TorchSharp can finalize a temporary Scalar while libtorch still reads it (random "Expected false to be true" /
# "Unknown scalar type" mid-training; Model/KeptScalars.cs keeps ours alive, TorchSharp's internals remain). A large
# gen-0 budget makes collections, and so that race, rare; the launcher sets the same. See docs/design.md.
export DOTNET_GCgen0size=${DOTNET_GCgen0size:-0x10000000}
dotnet build DgTools.slnx -c Release -nologo -clp:ErrorsOnly -v:quiet
results=$(mktemp -d)
status=0
# --blame: if the test host dies, dotnet test names the tests it was running.
dotnet test tests/DgTools.Tests -c Release --no-build -nologo --blame "${filter[@]}" \
  --logger "console;verbosity=normal" --logger "trx;LogFileName=tests.trx" --results-directory "$results" || status=$?
counters=$(grep -o '<Counters [^>]*>' "$results/tests.trx" || true)
num() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
total=$(num total); executed=$(num executed); passed=$(num passed); failed=$(num failed)
skipped=$(( total - executed ))
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] && [ "$failed" = 0 ]; then
  echo "the test run was aborted (exit $status) after $executed tests: see dotnet test's output above" >&2
fi
exit $status
