#!/usr/bin/env bash
# Builds a language's real-speech corpus from the Debian packages that scripts/real-speech/fetch.sh downloaded.
#
#   scripts/real-speech/build.sh LANG OUT [SOURCES]     LANG: en, es, nl;  SOURCES: e.g. asterisk,fotaq (default: all)
#   (fotaq-extra: FOTAQ's cutscene speech and Joe's descriptions only, written as source fotaq)
#
# OUT (outside the repository, e.g. /work/corpus-real/en) receives:
#   OUT/dgdatasets/real-<source>/<speaker>/<id>.wav|.txt   training sets (16-bit PCM at the source's own rate)
#   OUT/heldout/real-dev/<source>/<speaker>/...            development set, held out by speaker (never train on it)
#   LICENSE in every set folder, OUT/manifest.tsv (every clip: speaker, split, seconds, text), OUT/stats.tsv (totals)
# Environment: DGTOOLS_DEB_CACHE (default $HOME/.cache/dgtools/debs), FSDD (default ../shared/data/fsdd-digits, read in
# place; take 0 is never used), THREADS (default 1). Resumable and idempotent; runs under nice.
set -euo pipefail

if [ $# -lt 2 ]; then sed -n '2,12p' "$0"; exit 2; fi
lang=$1; out=$2; sources=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${DGTOOLS_DEB_CACHE:-$HOME/.cache/dgtools/debs}
unpacked=$cache/../unpacked
fsdd=${FSDD:-$repo/../shared/data/fsdd-digits}

case $lang in
  en) packages="asterisk-core-sounds-en asterisk-core-sounds-en-wav flight-of-the-amazon-queen beneath-a-steel-sky scummvm" ;;
  es) packages="asterisk-core-sounds-es asterisk-core-sounds-es-wav tuxpaint-stamps-default" ;;
  nl) packages="fillets-ng-data fillets-ng-data-nl" ;;
  *) echo "build.sh: unknown language '$lang' (en, es, nl)" >&2; exit 2 ;;
esac

# With SOURCES, only their packages are fetched and unpacked (the builder opens only the sources asked for).
if [ -n "$sources" ]; then
  packages=$(for s in ${sources//,/ }; do
    case $s in
      asterisk) echo "asterisk-core-sounds-$lang asterisk-core-sounds-$lang-wav" ;;
      fotaq|fotaq-extra) echo flight-of-the-amazon-queen ;;
      bass) echo "beneath-a-steel-sky scummvm" ;;
      tuxpaint) echo tuxpaint-stamps-default ;;
      fillets) echo "fillets-ng-data fillets-ng-data-$lang" ;;
    esac
  done | xargs)
fi
[ -z "$packages" ] || "$here/fetch.sh" "$cache" $packages
mkdir -p "$unpacked"
for p in $packages; do
  deb=$(ls "$cache/${p}"_*.deb)
  if [ ! -f "$unpacked/$p/.unpacked" ] || [ "$deb" -nt "$unpacked/$p/.unpacked" ]; then
    rm -rf "$unpacked/$p"
    dpkg-deb -x "$deb" "$unpacked/$p"
    touch "$unpacked/$p/.unpacked"
  fi
done

tool=$repo/tools/RealSpeech/bin/Release/net10.0/linux-x64/realspeech
if [ ! -x "$tool" ] || [ -n "$(find "$repo/tools/RealSpeech" -name '*.cs' -newer "$tool" | head -1)" ]; then
  dotnet build "$repo/tools/RealSpeech/RealSpeech.csproj" -c Release -nologo -clp:ErrorsOnly -v:quiet
fi

args=(build "$lang" --unpacked "$unpacked" --out "$out" --threads "${THREADS:-1}")
[ "$lang" = en ] && [ -d "$fsdd" ] && args+=(--fsdd "$fsdd")
[ "$lang" = en ] && [ ! -d "$fsdd" ] && echo "build.sh: $fsdd not found; building without FSDD" >&2
[ -n "$sources" ] && args+=(--sources "$sources")
mkdir -p "$out"
OMP_NUM_THREADS=1 nice -n 10 "$tool" "${args[@]}"
