#!/usr/bin/env bash
# Publishes the best checkpoint of a general-model training run (scripts/train-general.sh) as models/general-LANG.dg:
# a deployable, trainable model whose lexicon is its training text. Prints the model's modelinfo.
#
#   scripts/publish-general.sh LANG
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
lang=${1:?usage: scripts/publish-general.sh LANG}
work="$repo/.work/general-$lang"
dgtools=${DGTOOLS_BIN:-$repo/dgtools}
# The finished run's .last.dg when there is one (the guide's advice), else the best checkpoint: highest accuracy,
# then the later one (fewest samples remaining).
best="$work/general-$lang.last.dg"
if [ ! -f "$best" ]; then
  best=$( (ls "$work"/general-"$lang".best.*.dg 2>/dev/null || true) \
    | awk -F. '{ print $(NF-1), -$(NF-2), $0 }' | sort -k1,1nr -k2,2nr | head -1 | cut -d' ' -f3-)
fi
[ -n "$best" ] && [ -f "$best" ] || { echo "error: no checkpoint in $work yet (train-general.sh validates every 400 samples)" >&2; exit 1; }
echo "publishing $best"
tmp=$(mktemp -d)
(cd "$tmp" && "$dgtools" makedeployable "$best" --name general --tags "general-$lang" >/dev/null)
mkdir -p models
mv "$tmp"/*_deployable.dg "models/general-$lang.dg"
rmdir "$tmp"
"$dgtools" modelinfo "models/general-$lang.dg"
