#!/usr/bin/env python3
"""A second small domain for the suggest simulation, made like the pharmacy demo (scripts/corpus/demo.py): 24 bird
names the general corpus's training text never contains, in birdwatching sentences; a pool spoken by the demo's
training voices and a held-out part spoken by its validation voices (training-allowed voices only; never reserved).

  bench/suggest/birding.py OUT_DIR [--pool 120] [--heldout 40]
  python3 scripts/corpus/synth.py work OUT_DIR --worker 0 --workers 1 --pad-min 0.05 --pad-max 0.12
makes OUT_DIR/pool/ and OUT_DIR/heldout/ (<stem>.wav + <stem>.txt).
"""
import argparse, os, random, sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "scripts", "corpus"))
import atomic  # noqa: E402
import demo  # noqa: E402
import synth  # noqa: E402

# None of them is in the general corpus's training text (checked against scripts/build-corpus.sh's text/train.txt).
BIRDS = ["kittiwake", "sanderling", "shearwater", "phalarope", "dunlin", "whimbrel", "godwit", "turnstone",
         "goldcrest", "chiffchaff", "greenshank", "yellowhammer", "hawfinch", "nuthatch", "treecreeper", "redstart",
         "wheatear", "stonechat", "wigeon", "fieldfare", "redwing", "siskin", "brambling", "avocet"]
TEMPLATES = [
    "I saw a {d} near the lake.", "There is a {d} on the feeder.", "Was that a {d} or a {e}?",
    "The {d} is nesting in the hedge.", "We counted three {d} this morning.", "A {d} flew over the marsh.",
    "Listen to the {d} singing.", "The {d} came back early this year.", "Look for the {d} by the river.",
    "Is the {d} rarer than the {e}?", "We spotted a {d} and a {e}.", "The {d} was feeding on the shore.",
    "Note the {d} in the logbook.", "A pair of {d} landed on the wall.", "The guide pointed out a {d}.",
    "Have you ever seen a {d}?", "The {d} left before the {e} arrived.", "Photograph the {d} from the hide.",
]


def main():
    a = argparse.ArgumentParser()
    a.add_argument("out_dir")
    a.add_argument("--pool", type=int, default=120)
    a.add_argument("--heldout", type=int, default=40)
    a.add_argument("--seed", type=int, default=7)
    o = a.parse_args()
    demo.TEMPLATES = TEMPLATES
    rng = random.Random(o.seed)
    used, jobs = set(), []
    for i, text in enumerate(demo.sentences(rng, BIRDS, o.pool, used)):
        jobs.append({**demo.job(rng, text, demo.TRAIN_VOICES, True), "set": "pool", "stem": f"bird-{i:04d}"})
    for i, text in enumerate(demo.sentences(rng, BIRDS, o.heldout, used)):
        jobs.append({**demo.job(rng, text, demo.VALIDATE_VOICES, False), "set": "heldout", "stem": f"bird-val-{i:03d}"})
    os.makedirs(os.path.join(o.out_dir, "manifests"), exist_ok=True)
    atomic.write_text(os.path.join(o.out_dir, "manifests", "jobs.tsv"),
                      "\t".join(synth.FIELDS) + "\n" + "".join("\t".join(str(j[f]) for f in synth.FIELDS) + "\n" for j in jobs))
    print(f"birding plan: {o.pool} pool, {o.heldout} held-out utterances, {len(BIRDS)} bird names")


if __name__ == "__main__":
    main()
