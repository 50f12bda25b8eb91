#!/usr/bin/env bash
# Decoding speed and accuracy on one core. Needs the corpus text pools (scripts/corpus/textpool.py makes them).
# Usage: bench/decoding/run.sh [TEXT_DIR] [--tune]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
text="${1:-${TMPDIR:-/tmp}/dgtools-bench-text/en}"
shift || true
if [ ! -s "$text/train.txt" ]; then
  python3 "$repo/scripts/corpus/textpool.py" en "$text" --exclude "$repo/scripts/corpus/pharmacy-terms.txt"
fi
dotnet build "$here/DecodingBench.csproj" -c Release -o "$here/bin/out" >/dev/null
# One core: the decoders are single-threaded per utterance; pinning keeps the GC and JIT off the other core too.
DOTNET_gcServer=0 DOTNET_GCHeapCount=1 taskset -c 0 dotnet "$here/bin/out/DecodingBench.dll" "$text/train.txt" "$text/valid.txt" "$@"
