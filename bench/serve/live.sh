#!/usr/bin/env bash
# Live streaming through Deepgram's JavaScript SDK at real-time pace: how far the live final transcript is from the
# offline one (`transcribe`) of the same audio (WER between them), and the latency from the moment a word's audio has
# been sent until the word arrives (first in an interim result, then in a final one). docs/benchmarks.md.
# Audio: STREAMS recordings of ~30 s, each ten of the demo's validation utterances back to back, with PAUSE seconds of
# silence after each (default 0: as the TTS files are, ~0.1 s between sentences). Also the WER of both transcripts
# against the reference text (lower case, punctuation dropped).
# Usage: [PAUSE=0.6] bench/serve/live.sh [STREAMS]   (default 4; needs tests/sdk/node_modules: scripts/setup.sh)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
streams=${1:-4}
[ -d "$repo/tests/sdk/node_modules/@deepgram/sdk" ] || { echo "error: Deepgram's SDK is not installed (scripts/setup.sh)" >&2; exit 1; }
work=${BENCH_DIR:-$repo/.work/bench-live}
rm -rf "$work"; mkdir -p "$work/res"
mapfile -t utterances < <(ls "$repo/demo/dgdatasets/pharmacy"/rx-val-*.wav | sort)
pause=${PAUSE:-0}
for s in $(seq 0 $((streams - 1))); do
  parts=()
  for u in "${utterances[@]:$((s * 10)):10}"; do
    sox "$u" "$work/part-$(basename "$u")" pad 0 "$pause"; parts+=("$work/part-$(basename "$u")")
    cat "${u%.wav}.txt"; echo
  done > "$work/reference-$s.txt"
  sox "${parts[@]}" "$work/stream-$s.wav"
done
export DGTOOLS_RESOURCE_DIR="$work/res" DOTNET_GCgen0size=0x10000000 OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
port=$((20000 + RANDOM % 10000))
echo "== $streams streams at real-time pace, pause $pause s after each sentence (uptime: $(uptime | sed 's/.*load/load/'))"
"$repo/dgtools" serve "$repo/models/general-en.dg" --port "$port" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
for s in $(seq 0 $((streams - 1))); do
  "$repo/dgtools" transcribe "$repo/models/general-en.dg" "$work/stream-$s.wav" > "$work/offline-$s.txt"
  (cd "$repo/tests/sdk" && node live.cjs "http://127.0.0.1:$port" key "$work/stream-$s.wav" 100 100) > "$work/live-$s.json"
done
kill -TERM "$server"; wait "$server" || true
python3 - "$work" "$streams" <<'PY'
import json, sys
work, n = sys.argv[1], int(sys.argv[2])
def edits(a, b):
    d = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        prev, d[0] = d[0], i
        for j in range(1, len(b) + 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] != b[j - 1]))
    return d[len(b)]
import re
errors = words = finals = 0; first = []; final = []; ref_words = ref_off = ref_live = 0
for s in range(n):
    offline = open(f"{work}/offline-{s}.txt").read().split()
    live = json.load(open(f"{work}/live-{s}.json"))
    reference = re.sub(r"[^a-z' ]", " ", open(f"{work}/reference-{s}.txt").read().lower().replace("\n", " ")).split()
    ref_words += len(reference); ref_off += edits(reference, offline); ref_live += edits(reference, live["transcript"].split())
    errors += edits(offline, live["transcript"].split()); words += len(offline)
    finals += live["finals"]; first += live["first_word_latency_ms"]; final += live["final_word_latency_ms"]
def pct(v, q): v = sorted(v); return v[min(len(v) - 1, max(0, int(round(q * len(v) + 0.5)) - 1))]
print(f"live final vs offline transcript: WER {100 * errors / words:.1f} % ({errors} word edits / {words} words, {finals} finals)")
print(f"against the reference text ({ref_words} words): offline WER {100 * ref_off / ref_words:.1f} %, live WER {100 * ref_live / ref_words:.1f} %")
print(f"word latency, first seen (interim): p50 {pct(first, .5)} ms, p95 {pct(first, .95)} ms, max {max(first)} ms")
print(f"word latency, final:                p50 {pct(final, .5)} ms, p95 {pct(final, .95)} ms, max {max(final)} ms")
PY
