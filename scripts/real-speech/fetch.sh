#!/usr/bin/env bash
# Downloads the Debian packages that hold real recorded speech with transcripts (docs/real-speech.md) into a cache
# directory outside the repository: `apt-get download` only, nothing is installed. Idempotent: a package whose .deb is
# already in the cache is not downloaded again.
#   scripts/real-speech/fetch.sh [CACHE_DIR [PACKAGE...]]   default: $HOME/.cache/dgtools/debs, every package below
# scummvm is only unpacked, never installed: its binary holds the code tree of Beneath a Steel Sky's subtitles
# (tools/RealSpeech/Sky/SkyHuffmanTree.cs). Never add the reserved evaluation packages (pocketsphinx-testdata, drascula*) here: they are held out.
set -euo pipefail

cache=${1:-${DGTOOLS_DEB_CACHE:-$HOME/.cache/dgtools/debs}}
all=(
  asterisk-core-sounds-en asterisk-core-sounds-en-wav
  asterisk-core-sounds-es asterisk-core-sounds-es-wav
  flight-of-the-amazon-queen
  beneath-a-steel-sky scummvm
  fillets-ng-data fillets-ng-data-nl
  tuxpaint-stamps-default
)
if [ $# -gt 1 ]; then packages=("${@:2}"); else packages=("${all[@]}"); fi

for p in "${packages[@]}"; do
  case "$p" in
    pocketsphinx-testdata|drascula*) echo "error: $p is reserved for independent evaluation" >&2; exit 2 ;;
  esac
done

mkdir -p "$cache"
cd "$cache"
missing=()
for p in "${packages[@]}"; do
  compgen -G "${p}_*.deb" >/dev/null || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[fetch] downloading into $cache: ${missing[*]}"
  if ! apt-get download "${missing[@]}" >/dev/null; then
    echo "error: apt-get download failed for ${missing[*]} (is 'main' in the apt sources and 'apt-get update' run?)" >&2
    exit 1
  fi
fi
for p in "${packages[@]}"; do
  compgen -G "${p}_*.deb" >/dev/null || { echo "error: ${p}_*.deb missing from $cache after download" >&2; exit 1; }
done
echo "[fetch] $(ls "$cache"/*.deb | wc -l) packages in $cache ($(du -sh "$cache" | cut -f1))"
