#!/usr/bin/env bash
# Installs the text-to-speech voices and text sources the corpus and demo scripts use.
# Debian main packages come from the machine's own sources; the mbrola / pico / extra festival voices live in
# contrib and non-free, which this machine's sources do not list. We add them through a private sources list
# derived from the mirror already configured (never naming a host here) so the system's apt setup stays untouched.
set -euo pipefail

MAIN_PACKAGES=(
  espeak-ng flite festival festlex-cmu festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts
  sox libsox-fmt-all
  wordnet-base fortunes fortunes-min fortunes-es dict-gcide dictzip wamerican
  pocketsphinx pocketsphinx-en-us  # only for scripts/corpus/proxy_wer.py, the sanity check
)
NONFREE_PACKAGES=(
  mbrola mbrola-us1 mbrola-us2 mbrola-us3 mbrola-en1
  mbrola-es1 mbrola-es2 mbrola-es3 mbrola-es4 mbrola-nl2 mbrola-nl3
  mbrola-de1 mbrola-de2 mbrola-de3 mbrola-de4 mbrola-de5 mbrola-de6 mbrola-fr1 mbrola-fr4 mbrola-hu1
  festvox-us1 festvox-en1 festvox-rablpc16k libttspico-utils
)

if [ "$(id -u)" != 0 ]; then echo "install-voices.sh: must run as root (apt-get)" >&2; exit 1; fi

private_dir=/var/lib/dgtools-apt
mkdir -p "$private_dir/lists/partial"

# Mirror URL and suites of the first Debian (non-security) entry, from deb822 or one-line sources.
mirror=""; suites=""
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  uri=$(awk '/^URIs:/{print $2; exit}' "$f")
  su=$(awk '/^Suites:/{$1=""; print; exit}' "$f")
  if [ -n "$uri" ] && [[ "$uri" != *security* ]]; then mirror=$uri; suites=$su; break; fi
done
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  line=$(grep -E '^deb +[a-z]+://' /etc/apt/sources.list | grep -v security | head -1 || true)
  mirror=$(awk '{print $2}' <<<"$line"); suites=$(awk '{print $3}' <<<"$line")
fi
if [ -z "$mirror" ]; then echo "install-voices.sh: no Debian mirror found in /etc/apt/sources.list*" >&2; exit 1; fi
suite=$(awk '{print $1}' <<<"$suites")

signed_by=""
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] && signed_by="[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
cat > "$private_dir/sources.list" <<SRC
deb ${signed_by}$mirror $suite main contrib non-free
SRC

export DEBIAN_FRONTEND=noninteractive
apt_private=(-o Dir::Etc::sourcelist="$private_dir/sources.list" -o Dir::Etc::sourceparts=- \
             -o Dir::State::Lists="$private_dir/lists")

apt-get install -y --no-install-recommends "${MAIN_PACKAGES[@]}" || {
  apt-get update && apt-get install -y --no-install-recommends "${MAIN_PACKAGES[@]}"; }
apt-get "${apt_private[@]}" update
apt-get "${apt_private[@]}" install -y --no-install-recommends "${NONFREE_PACKAGES[@]}"
echo "install-voices.sh: voices installed"
