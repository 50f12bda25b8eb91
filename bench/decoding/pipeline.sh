#!/usr/bin/env bash
# Whole-pipeline speed of `dgtools transcribe` on one core (audio decode, fbank, Conformer-CTC, decoding) for the
# default "small" architecture. Weights do not change the network's cost, so an untrained model made with `init`
# measures the network; its flat posteriors make the beam search slower than a trained model's would (every unit
# survives pruning in every frame), so the beam number here is an upper bound.
# Usage: bench/decoding/pipeline.sh AUDIO_DIR [N_FILES] [MODEL.dg]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
audio_dir="$1"; n="${2:-40}"; model="${3:-}"
dotnet build "$repo/src/DgTools.Cli/DgTools.Cli.csproj" -c Release >/dev/null
cli="$repo/src/DgTools.Cli/bin/Release/net10.0/linux-x64/dgtools"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
if [ -z "$model" ]; then model="$work/small.dg"; "$cli" init "$model" --size small >/dev/null; fi
mapfile -t files < <(find "$audio_dir" -name '*.wav' | sort | head -n "$n")
seconds=$(python3 -c "import sys,wave; print(sum(wave.open(f).getnframes()/wave.open(f).getframerate() for f in sys.argv[1:]))" "${files[@]}")
for mode in --greedy ""; do
  start=$(date +%s.%N)
  taskset -c 0 env OMP_NUM_THREADS=1 "$cli" transcribe "$model" "${files[@]}" $mode >/dev/null
  end=$(date +%s.%N)
  python3 -c "import sys; t=float(sys.argv[2])-float(sys.argv[1]); print(f'{sys.argv[4] or \"beam (stored options)\"}: {t:.1f} s for {float(sys.argv[3]):.0f} s of audio, RTF {t/float(sys.argv[3]):.3f} (includes process start and model load)')" "$start" "$end" "$seconds" "$mode"
done
