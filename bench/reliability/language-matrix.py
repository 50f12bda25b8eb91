#!/usr/bin/python3
"""Autotrain's language check (src/DgTools/Preparation/LanguageCheck.cs) over a matrix of models x data sets.

For every bundled model (models/general-{en,es,nl,ko}.dg) and every data set below, two runs against a fresh resource
directory under --work:
  1. `dgtools autotrain MODEL --dataset-locations SET --threads 1`: the check's figures over the whole set and its
     decision (the one-line error, or the "Language check:" line of a run that goes on; such a run is stopped with
     SIGTERM right after the line, before training, and its directories are thrown away).
  2. `dgtools check MODEL` on 24 evenly spaced pairs of the set: how many transcripts do not fit their audio under
     the model, and the median word score (the audio signal; it does not separate the languages, see the docs).
Prints one Markdown table row per cell (the table in docs/reliability.md).

Usage: bench/reliability/language-matrix.py [--work .work/language-matrix] [--models en,es,nl,ko] [--sets NAME,...]
Data: demo/ (pharmacy, general-validate), models/*.replay (the general corpora's replay samples), ../shared/data
(FSDD; takes 1-49, the take-0 hidden test is not there), /work/corpus-real/{en,es,nl}/dgdatasets (real speech;
their heldout/ folders are not used). Sets that are missing are left out.
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import json

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
REAL = "/work/corpus-real"
SETS = [  # name, language of the data, directory
    ("pharmacy (demo)", "en", os.path.join(REPO, "demo", "dgdatasets", "pharmacy")),
    ("general-validate (demo)", "en", os.path.join(REPO, "demo", "general-validate")),
    ("fsdd-digits", "en", os.path.join(os.path.dirname(REPO), "shared", "data", "fsdd-digits")),
    ("general-en.replay", "en", os.path.join(REPO, "models", "general-en.replay")),
    ("general-es.replay", "es", os.path.join(REPO, "models", "general-es.replay")),
    ("general-nl.replay", "nl", os.path.join(REPO, "models", "general-nl.replay")),
    ("general-ko.replay", "ko", os.path.join(REPO, "models", "general-ko.replay")),
    ("real-asterisk (en)", "en", os.path.join(REAL, "en", "dgdatasets", "real-asterisk")),
    ("real-bass (en)", "en", os.path.join(REAL, "en", "dgdatasets", "real-bass")),
    ("real-fotaq (en)", "en", os.path.join(REAL, "en", "dgdatasets", "real-fotaq")),
    ("real-asterisk (es)", "es", os.path.join(REAL, "es", "dgdatasets", "real-asterisk")),
    ("real-fillets (nl)", "nl", os.path.join(REAL, "nl", "dgdatasets", "real-fillets")),
]
AUDIO = (".wav", ".ogg", ".mp3", ".flac")


def autotrain(dgtools, model, location, work):
    res, out = os.path.join(work, "res"), os.path.join(work, "out")
    for d in (res, out):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    env = dict(os.environ, DGTOOLS_RESOURCE_DIR=res, OMP_NUM_THREADS="1")
    p = subprocess.Popen([dgtools, "autotrain", model, "--dataset-locations", location, "--threads", "1"], cwd=out, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line, error = None, None
    for text in p.stdout:
        if text.startswith("error:"):
            error = text.strip()
        m = re.search(r"Language check: (.*)\.$", text.strip())
        if m:   # the check passed: the run would go on to train
            line = m.group(1)
            p.send_signal(signal.SIGTERM)   # not SIGINT: a background job may have it ignored
            break
    rest = p.stdout.read()
    error = error or next((x for x in rest.splitlines() if x.startswith("error:")), None)
    p.wait()
    stopped = error is not None and "do not look like" in error
    if stopped:
        line = re.search(r"model's language: (.*); train a model", error).group(1)
    return line, stopped, error, p.returncode


def location(directory, work):
    """A mirror of the set (a folder of links to its files) for autotrain: a run that passes the check may align long
    recordings before the SIGTERM stops it, and those alignments go to the set's resource_properties/, which must not
    be the real data's. A folder of sets becomes a list file of its subfolders that hold audio (autotrain refuses an
    empty one)."""
    mirror = os.path.join(work, "mirror")
    shutil.rmtree(mirror, ignore_errors=True)
    for d, _, fs in os.walk(directory, followlinks=True):
        if "resource_properties" in os.path.relpath(d, directory).split(os.sep):
            continue
        target = os.path.join(mirror, os.path.relpath(d, directory))
        os.makedirs(target, exist_ok=True)
        for f in fs:
            os.symlink(os.path.join(d, f), os.path.join(target, f))
    if any(f.endswith(AUDIO) for f in os.listdir(mirror)):
        return mirror
    listing = os.path.join(work, "sets.lst")
    with open(listing, "w") as f:
        for sub in sorted(os.listdir(mirror)):
            full = os.path.join(mirror, sub)
            if os.path.isdir(full) and any(x.endswith(AUDIO) for _, _, fs in os.walk(full) for x in fs):
                f.write(full + "\n")
    return listing


def sample(directory, target, n=24):
    stems = sorted({os.path.splitext(os.path.relpath(os.path.join(d, f), directory))[0]
                    for d, _, fs in os.walk(directory, followlinks=True) for f in fs if f.endswith(".txt")})
    pairs = []
    for stem in stems:
        audio = next((stem + e for e in AUDIO if os.path.exists(os.path.join(directory, stem + e))), None)
        if audio:
            pairs.append((stem, audio))
    shutil.rmtree(target, ignore_errors=True)
    os.makedirs(target)
    picks = [pairs[i * len(pairs) // min(n, len(pairs))] for i in range(min(n, len(pairs)))]
    for stem, audio in picks:
        flat = stem.replace("/", "_")
        os.symlink(os.path.join(directory, audio), os.path.join(target, flat + os.path.splitext(audio)[1]))
        os.symlink(os.path.join(directory, stem + ".txt"), os.path.join(target, flat + ".txt"))


def check(dgtools, model, directory, work):
    target = os.path.join(work, "sample")
    sample(directory, target)
    res = os.path.join(work, "check-res")
    shutil.rmtree(res, ignore_errors=True)
    os.makedirs(res)
    report = os.path.join(work, "check.json")
    env = dict(os.environ, DGTOOLS_RESOURCE_DIR=res, OMP_NUM_THREADS="1")
    out = subprocess.run([dgtools, "check", model, "--dataset-locations", target, "--report", report, "--threads", "1"],
                         capture_output=True, text=True, env=env)
    if out.returncode != 0:
        return f"check failed: {out.stderr.strip().splitlines()[-1] if out.stderr.strip() else out.returncode}"
    with open(report) as f:
        rows = json.load(f)["recordings"]
    flagged = sum(1 for r in rows if any(i["kind"] in ("transcript does not match the audio", "transcript does not fit",
                                                       "wrong language or character set", "empty transcript")
                                         for i in r["issues"]))
    scores = sorted(r["mean_word_score"] for r in rows if r.get("mean_word_score") is not None)
    median = f", median word score {scores[len(scores) // 2]:.2f}" if scores else ""
    return f"{flagged} of {len(rows)}{median}"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--work", default=os.path.join(REPO, ".work", "language-matrix"))
    p.add_argument("--dgtools", default=os.path.join(REPO, "dgtools"))
    p.add_argument("--models", default="en,es,nl,ko")
    p.add_argument("--sets", default=None, help="comma-separated names (default: all present)")
    p.add_argument("--no-check", action="store_true", help="skip the check column")
    p.add_argument("--no-autotrain", action="store_true", help="skip the autotrain column")
    a = p.parse_args()
    wanted = a.sets.split(",") if a.sets else None
    print("| model | data set (language) | autotrain's language check | stops? | `check`: sampled pairs not fitting |")
    print("| --- | --- | --- | --- | --- |")
    for lang in a.models.split(","):
        model = os.path.join(REPO, "models", f"general-{lang}.dg")
        for name, data_lang, directory in SETS:
            if not os.path.isdir(directory) or (wanted and name not in wanted):
                continue
            work = os.path.join(a.work, lang)
            os.makedirs(work, exist_ok=True)
            line, stopped, error, code = (None, False, "—", 0) if a.no_autotrain else autotrain(a.dgtools, model, location(directory, work), work)
            figures = line if line else (error or f"exit {code}, no language-check line")
            audio = "—" if a.no_check else check(a.dgtools, model, directory, work)
            verdict = f"**stops** (exit {code})" if stopped else f"stops earlier (exit {code})" if error else "trains"
            print(f"| {lang} | {name} ({data_lang}) | {figures} | {verdict} | {audio} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
