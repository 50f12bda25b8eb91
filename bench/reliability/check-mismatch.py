#!/usr/bin/python3
"""Precision and recall of `dgtools check`'s "transcript does not match the audio" on real speech.

Builds two data sets from FSDD (../shared/data/fsdd-digits; takes 1-4 only, never take 0): "dev" (george, jackson,
lucas) and "test" (nicolas, theo, yweweler), each recording linked with its true transcript or, for every third one, a
different digit's word (known wrong). Runs `dgtools check MODEL --json` on each, and reports for the mismatch flag:
true/false positives, precision, recall, and the false-flag rate on correct recordings; with --sweep, the same for
a range of thresholds on the recordings' scores (to pick a threshold on dev, then measure it once on test).

Usage: bench/reliability/check-mismatch.py [--model models/general-en.dg] [--work .work/check-mismatch] [--sweep]
"""
import argparse
import json
import os
import random
import subprocess
import sys

DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
SETS = {"dev": ["george", "jackson", "lucas"], "test": ["nicolas", "theo", "yweweler"]}
FLAGS = ("transcript does not match the audio", "transcript does not fit")


def build(root, fsdd, speakers, seed):
    rng = random.Random(seed)
    truth = {}
    os.makedirs(root, exist_ok=True)
    for speaker in speakers:
        for take in range(1, 5):   # take 0 is the held-out hidden test: never used
            for digit in range(10):
                stem = f"{digit}_{speaker}_{take}"
                wrong = rng.random() < 1 / 3
                word = DIGITS[(digit + rng.randint(1, 9)) % 10] if wrong else DIGITS[digit]
                wav = os.path.join(root, stem + ".wav")
                if not os.path.lexists(wav):
                    os.symlink(os.path.join(fsdd, stem + ".wav"), wav)
                with open(os.path.join(root, stem + ".txt"), "w") as f:
                    f.write(word + "\n")
                truth[stem + ".wav"] = wrong
    return truth


def check(dgtools, model, location, res, env_extra):
    env = dict(os.environ, DGTOOLS_RESOURCE_DIR=res, **env_extra)
    report = os.path.join(os.path.dirname(location), os.path.basename(location) + ".check.json")
    out = subprocess.run([dgtools, "check", model, "--dataset-locations", location, "--report", report],
                         capture_output=True, text=True, env=env)
    if out.returncode != 0:
        sys.exit(out.stderr)
    with open(report) as f:
        return json.load(f)


def scores(report, truth):
    rows = []
    for r in report["recordings"]:
        name = os.path.basename(r["audio"])
        flagged = any(i["kind"] in FLAGS for i in r["issues"])
        rows.append((name, truth[name], flagged, r.get("mean_word_score")))
    return rows


def summary(rows, flagged_of=lambda row: row[2]):
    tp = sum(1 for r in rows if r[1] and flagged_of(r))
    fp = sum(1 for r in rows if not r[1] and flagged_of(r))
    wrong = sum(1 for r in rows if r[1])
    right = len(rows) - wrong
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / wrong if wrong else float("nan")
    return f"{len(rows)} recordings ({right} correct, {wrong} wrong): flagged {tp} wrong + {fp} correct; " \
           f"precision {precision:.3f}, recall {recall:.3f}, correct ones flagged {fp / right:.1%}"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    p = argparse.ArgumentParser()
    p.add_argument("--model", default=os.path.join(repo, "models", "general-en.dg"))
    p.add_argument("--work", default=os.path.join(repo, ".work", "check-mismatch"))
    p.add_argument("--dgtools", default=os.path.join(repo, "dgtools"))
    p.add_argument("--sets", default="dev,test")
    p.add_argument("--sweep", action="store_true")
    a = p.parse_args()
    fsdd = os.path.join(os.path.dirname(repo), "shared", "data", "fsdd-digits")
    for i, name in enumerate(a.sets.split(",")):
        root = os.path.join(a.work, "data", name)
        truth = build(root, fsdd, SETS[name], seed=20 + i)
        report = check(a.dgtools, a.model, root, os.path.join(a.work, "res"), {})
        rows = scores(report, truth)
        print(f"{name}: {summary(rows)}")
        if a.sweep:
            for t in [x / 10 for x in range(-60, 1, 5)]:
                print(f"  mean word score < {t:5.1f}: {summary(rows, lambda r: r[3] is not None and r[3] < t)}")
            with open(os.path.join(a.work, f"{name}-scores.tsv"), "w") as f:
                for r in sorted(rows):
                    f.write(f"{r[0]}\t{int(r[1])}\t{int(r[2])}\t{r[3]}\n")


if __name__ == "__main__":
    main()
