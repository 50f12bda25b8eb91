#!/usr/bin/env bash
# The guide's first use case in miniature, on real speech: train a tiny model on spoken digits 0-6 (FSDD, speaker
# george), then autotrain it again with 7-9 added, and `evaluate` both on the same validation split — the added
# words' recall should go from 0 to high, and beam search + LM should beat greedy. Takes ~2 minutes on 1 thread.
# Usage: bench/decoding/added-words.sh [WORK_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
digits="$repo/../shared/data/fsdd-digits"
work="${1:-$(mktemp -d)}"
dotnet build "$repo/src/DgTools.Cli/DgTools.Cli.csproj" -c Release >/dev/null
cli="$repo/src/DgTools.Cli/bin/Release/net10.0/linux-x64/dgtools"
export DGTOOLS_RESOURCE_DIR="$work/res"
set_dir="$work/res/dgdatasets/digits"
mkdir -p "$set_dir"
echo "# held-out takes" > "$set_dir/keep_validate.lst"
link() {
  for take in 10 11 12 13 14 15 16 17 1 2; do
    for digit in "$@"; do
      for ext in wav txt; do ln -sf "$digits/${digit}_george_$take.$ext" "$set_dir/${digit}_george_$take.$ext"; done
      if [ "$take" -le 2 ]; then echo "${digit}_george_$take" >> "$set_dir/keep_validate.lst"; fi
    done
  done
}
cd "$work"
link 0 1 2 3 4 5 6
"$cli" init digits.dg --size tiny --seed 3 >/dev/null
"$cli" autotrain digits.dg --revisit-count 60 --threads 1 --learning-rate 3e-3 --seed 3 | grep -E "Added|Final"
link 7 8 9
"$cli" autotrain digits.last.dg --revisit-count 40 --threads 1 --learning-rate 3e-3 --seed 3 | grep -E "Added|Final"
"$cli" evaluate digits.last.dg digits.r2.last.dg --report report
"$cli" evaluate digits.r2.last.dg --greedy
