#!/usr/bin/env bash
# Load test of `dgtools serve` on loopback, beside offline batched evaluation of the same audio (docs/benchmarks.md).
# Real recordings: FSDD spoken digits from ../shared/data, never the held-out take-0 files.
# Usage: bench/serve/run.sh [CLIENTS] [SECONDS] [FILES]     (defaults 16 60 600)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
clients=${1:-16}; seconds=${2:-60}; count=${3:-600}
fsdd="$repo/../shared/data/fsdd-digits"
[ -d "$fsdd" ] || { echo "error: FSDD not found at $fsdd" >&2; exit 1; }
[ -x "$repo/dgtools" ] || { echo "error: run scripts/setup.sh first" >&2; exit 1; }
work=${BENCH_DIR:-$repo/.work/bench-serve}
rm -rf "$work"; mkdir -p "$work/set" "$work/res"

# The same COUNT recordings for both runs: every take but 0, in a fixed order.
ls "$fsdd" | grep '\.wav$' | grep -v '_0\.wav$' | sort | awk -v n="$count" 'NR <= n' > "$work/names.txt"
while read -r f; do
  ln -s "$fsdd/$f" "$work/set/$f"; ln -s "$fsdd/${f%.wav}.txt" "$work/set/${f%.wav}.txt"
done < "$work/names.txt"
sed "s#^#$work/set/#" "$work/names.txt" > "$work/files.txt"

dotnet build "$here/LoadBench/LoadBench.csproj" -c Release -o "$work/bin" -nologo -v:quiet >/dev/null
# One torch thread on both sides (OMP_NUM_THREADS sets libtorch's default): on a shared 2-core machine two threads
# that wait for each other make either side several times slower, and by how much depends on the other jobs.
export DGTOOLS_RESOURCE_DIR="$work/res" DOTNET_GCgen0size=0x10000000 OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
port=$((20000 + RANDOM % 10000))
echo "== load: $clients clients for $seconds s on $count FSDD recordings, OMP_NUM_THREADS=$OMP_NUM_THREADS (uptime: $(uptime | sed 's/.*load/load/'))"
"$repo/dgtools" serve "$repo/models/general-en.dg" --port "$port" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
curl -s -X POST -H "Content-Type: audio/wav" --data-binary @"$(head -1 "$work/files.txt")" "http://127.0.0.1:$port/v1/listen" >/dev/null  # warm-up
dotnet "$work/bin/LoadBench.dll" "http://127.0.0.1:$port" "$server" "$clients" "$seconds" "$work/files.txt" | tee "$work/load.json"
curl -s "http://127.0.0.1:$port/metrics" > "$work/metrics.txt"
kill -TERM "$server"; wait "$server" && echo "server stopped on SIGTERM, exit 0" || echo "server exit status $?"
echo "access log lines: $(grep -c '"POST /v1/listen' "$work/serve.log")"

echo "== offline: dgtools evaluate on the same $count recordings (batched)"
"$repo/dgtools" evaluate "$repo/models/general-en.dg" --dataset-locations "$work/set" --split all --json > "$work/evaluate.json"
python3 - "$work/load.json" "$work/evaluate.json" "$work/names.txt" "$work/set" <<'PY'
import json, sys, wave, os
load = json.load(open(sys.argv[1])); ev = json.load(open(sys.argv[2]))["models"][0]
audio = 0.0
for name in open(sys.argv[3]).read().split():
    with wave.open(os.path.join(sys.argv[4], name)) as w: audio += w.getnframes() / w.getframerate()
offline = 1 / ev["rtf"]
print(f"offline batched: {audio:.1f} s of audio, rtf {ev['rtf']}, {offline:.2f} audio-s/s")
print(f"served:          {load['throughput_audio_s_per_s']} audio-s/s = {100 * load['throughput_audio_s_per_s'] / offline:.0f} % of offline")
PY
