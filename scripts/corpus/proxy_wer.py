"""Sanity check of a built corpus: word error rate of pocketsphinx's US-English recogniser (trained on real speech)
on a sample of utterances per voice. High WER can mean a robotic voice — or a transcript that does not match its
audio (truncation, a word the engine expanded), so compare voices against each other and against the notes.

  python3 proxy_wer.py OUT_DIR SET_PREFIX [--per-voice N]     (needs the pocketsphinx and pocketsphinx-en-us packages)
"""
import argparse
import collections
import os
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from synth import read_jobs  # noqa: E402

MODEL = "/usr/share/pocketsphinx/model/en-us"


def words(text):
    return re.sub(r"[^a-z' ]", " ", text.lower()).split()


def edit_distance(ref, hyp):
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def recognise(wav):
    out = subprocess.run(["pocketsphinx_continuous", "-infile", wav, "-hmm", f"{MODEL}/en-us",
                          "-lm", f"{MODEL}/en-us.lm.bin", "-dict", f"{MODEL}/cmudict-en-us.dict"],
                         capture_output=True, text=True).stdout
    return " ".join(out.split())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("set_prefix", help="e.g. heldout/ or dgdatasets/general-0")
    parser.add_argument("--per-voice", type=int, default=4)
    args = parser.parse_args()
    by_voice = collections.defaultdict(list)
    for job in read_jobs(args.out_dir):
        if job["set"].startswith(args.set_prefix):
            by_voice[f"{job['engine']}:{job['voice'].split('+')[0]}"].append(job)
    total_err = total_ref = 0
    for voice in sorted(by_voice):
        sample = random.Random(voice).sample(by_voice[voice], min(args.per_voice, len(by_voice[voice])))
        err = ref = 0
        for job in sample:
            wav = os.path.join(args.out_dir, job["set"], job["stem"] + ".wav")
            if not os.path.exists(wav):
                continue
            r = words(job["text"])
            err += edit_distance(r, words(recognise(wav)))
            ref += len(r)
        total_err, total_ref = total_err + err, total_ref + ref
        print(f"{voice:36s} {len(sample):3d} utt.  WER {100 * err / max(ref, 1):5.1f} %", flush=True)
    print(f"{'all':36s}       WER {100 * total_err / max(total_ref, 1):5.1f} %")


if __name__ == "__main__":
    main()
