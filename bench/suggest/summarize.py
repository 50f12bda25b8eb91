#!/usr/bin/env python3
"""Summarises bench/suggest/simulate.py's CSV: per data set and amount, each arm's WER per seed, mean ± sample
standard deviation, and the margin (random − suggest, in WER points) with its spread (the standard deviation of the
per-seed differences, seed k of one arm against seed k of the other).

  bench/suggest/summarize.py results.csv [more.csv ...]      (Markdown table on stdout)
"""
import collections, csv, statistics, sys

rows = [r for path in sys.argv[1:] for r in csv.DictReader(open(path))]
runs = collections.OrderedDict()
start = {}
for r in rows:
    if r["arm"] == "none":
        start[r["dataset"]] = float(r["wer"])
        continue
    runs.setdefault((r["dataset"], r["count"]), {}).setdefault(r["arm"], {})[r["seed"]] = (float(r["wer"]), float(r["seconds"]), int(r["picks"]))


def sd(xs):
    return statistics.stdev(xs) if len(xs) > 1 else float("nan")


print("| data set | amount | audio (suggest / random) | start WER | suggest: WER per seed | mean ± sd | random: WER per seed | mean ± sd | margin ± sd |")
print("|---|---:|---|---:|---|---:|---|---:|---:|")
for (dataset, amount), arms in runs.items():
    s, r = arms.get("suggest", {}), arms.get("random", {})
    seeds = sorted(set(s) & set(r), key=int)
    sw = [s[k][0] * 100 for k in sorted(s, key=int)]
    rw = [r[k][0] * 100 for k in sorted(r, key=int)]
    diffs = [(r[k][0] - s[k][0]) * 100 for k in seeds]
    audio = f"{statistics.mean(v[1] for v in s.values()):.0f} s ({statistics.mean(v[2] for v in s.values()):.0f}) / " \
            f"{statistics.mean(v[1] for v in r.values()):.0f} s ({statistics.mean(v[2] for v in r.values()):.1f})" if s and r else ""
    fmt = lambda xs: ", ".join(f"{x:.1f}" for x in xs)
    ms = lambda xs: (f"{statistics.mean(xs):.1f} ± {sd(xs):.1f} %" if len(xs) > 1 else f"{xs[0]:.1f} % (one seed)") if xs else "—"
    margin = (f"{statistics.mean(diffs):+.1f} ± {sd(diffs):.1f}" if len(diffs) > 1 else f"{diffs[0]:+.1f} (one seed)") if diffs else "—"
    st = f"{start[dataset] * 100:.1f} %" if dataset in start else ""
    print(f"| {dataset} | {amount} | {audio} | {st} | {fmt(sw)} | {ms(sw)} | {fmt(rw)} | {ms(rw)} | {margin} |")
