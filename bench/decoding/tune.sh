#!/usr/bin/env bash
# Tunes a model's decoding options (beam + word LM) on a data set and optionally stores the best in a copy.
#   bench/decoding/tune.sh MODEL DATA_DIR [--write OUT.dg] [--max-utterances N] [--beam-size N] [--lexicon-text FILE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dotnet build "$here/TuneDecoding/TuneDecoding.csproj" -c Release -o "$here/TuneDecoding/bin/out" >/dev/null
DOTNET_GCgen0size=${DOTNET_GCgen0size:-0x10000000} "$here/TuneDecoding/bin/out/TuneDecoding" "$@"
