#!/usr/bin/env bash
# Checks that a real-speech corpus's text matches its audio, without listening:
#  1. speaking rate (letters per second) per source and speaker, from OUT/manifest.tsv; a clip far outside its
#     source's typical rate (below median/2.5 or above median*2.5) is listed as suspect;
#  2. `dgtools check MODEL` (forced alignment of each transcript with the bundled general model) on a random sample of
#     N clips per source, training and development sets together.
#   scripts/real-speech/verify.sh LANG OUT [N]       (N default 30; MODEL default models/general-LANG.dg)
# Writes OUT/verify-rates.tsv, OUT/verify-suspects.tsv and OUT/verify-check.md; prints the summaries.
set -euo pipefail
if [ $# -lt 2 ]; then sed -n '2,9p' "$0"; exit 2; fi
lang=$1; out=$2; n=${3:-30}
repo=$(cd "$(dirname "$0")/../.." && pwd)
model=${MODEL:-$repo/models/general-$lang.dg}

python3 - "$out" <<'PY'
import csv, statistics, sys, collections
out = sys.argv[1]
rows = list(csv.DictReader(open(f"{out}/manifest.tsv", encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
def rate(r): return sum(c.isalpha() for c in r["text"]) / float(r["seconds"])
by_source = collections.defaultdict(list)
for r in rows: by_source[r["source"]].append(r)
lines = ["source\tspeaker\tclips\tminutes\tletters_per_s_median\tp5\tp95"]
suspects = ["source\tsplit\tid\tseconds\tletters_per_s\ttext"]
for source, rs in sorted(by_source.items()):
    med = statistics.median(rate(r) for r in rs)
    groups = collections.defaultdict(list)
    for r in rs: groups["(all)"].append(r); groups[r["speaker"]].append(r)
    for spk, g in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        q = sorted(rate(r) for r in g)
        pick = lambda p: q[min(len(q) - 1, int(p * len(q)))]
        lines.append(f"{source}\t{spk}\t{len(g)}\t{sum(float(r['seconds']) for r in g)/60:.1f}\t{statistics.median(q):.1f}\t{pick(0.05):.1f}\t{pick(0.95):.1f}")
    for r in rs:
        if not (med / 2.5 <= rate(r) <= med * 2.5):
            suspects.append(f"{source}\t{r['split']}\t{r['id']}\t{r['seconds']}\t{rate(r):.1f}\t{r['text']}")
open(f"{out}/verify-rates.tsv", "w").write("\n".join(lines) + "\n")
open(f"{out}/verify-suspects.tsv", "w").write("\n".join(suspects) + "\n")
print("\n".join(l for l in lines if "\t(all)\t" in l or l.startswith("source")))
print(f"suspect speaking rates: {len(suspects) - 1} of {len(rows)} clips (OUT/verify-suspects.tsv)")
PY

sample=$(mktemp -d)
trap 'rm -rf "$sample"' EXIT
python3 - "$out" "$sample" "$n" <<'PY'
import csv, os, random, sys, collections
out, sample, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = list(csv.DictReader(open(f"{out}/manifest.tsv", encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
by_source = collections.defaultdict(list)
for r in rows: by_source[r["source"]].append(r)
rng = random.Random(7)
for source, rs in by_source.items():
    os.makedirs(f"{sample}/{source}", exist_ok=True)
    for r in rng.sample(rs, min(n, len(rs))):
        audio = os.path.join(out, r["audio"])
        stem = f"{sample}/{source}/{r['speaker']}-{r['id']}"
        os.symlink(audio, stem + ".wav"); os.symlink(audio[:-4] + ".txt", stem + ".txt")
PY
for dir in "$sample"/*/; do
  src=$(basename "$dir")
  echo "== dgtools check on $(ls "$dir"/*.wav | wc -l) $src clips"
  OMP_NUM_THREADS=1 nice -n 10 "$repo/dgtools" check "$model" --dataset-locations "$dir" --report "$out/verify-check-$src.md" | tail -n 15
done
