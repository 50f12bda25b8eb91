"""Plans the bundled demo: a pharmacy-domain data set whose drug names the general corpus never contains.

  python3 demo.py plan OUT_DIR --text TEXT_DIR [--train N] [--validate N] [--general N] [--seed S]

Writes OUT_DIR/manifests/jobs.tsv in synth.py's format (synth.py work makes the audio) plus
  OUT_DIR/dgdatasets/pharmacy/keep_validate.lst   ids spoken by voices absent from the pharmacy training part
  OUT_DIR/added-words.txt                         the domain terms
The pharmacy validation sentences are (template, drug) pairs that never occur in the training part; the general
validation set reads the text pool's "demo" sentences, which are not in the general corpus's training text.
"""
import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atomic  # noqa: E402
import synth  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

TEMPLATES = [
    "Please refill my {d} prescription.",
    "Take {d} once a day with water.",
    "Is {d} covered by my insurance?",
    "I need a refill of {d}.",
    "The doctor switched me to {d}.",
    "Do not drink alcohol with {d}.",
    "Your {d} is ready for pickup.",
    "Can I take {d} with {e}?",
    "I am running low on {d}.",
    "How many {d} tablets are left?",
    "Take the {d} after breakfast.",
    "The {d} dose was increased.",
    "The {d} may cause dizziness.",
    "We are out of {d} today.",
    "Pick up the {d} this afternoon.",
    "She takes {d} every morning.",
    "He was prescribed {d} last week.",
    "Swap the {d} for {e}.",
    "Take {d} and {e} daily.",
    "Is {d} safer than {e}?",
    "He stopped {d} and started {e}.",
    "Refill the {d} and the {e}.",
    "Check the price of {d}.",
    "Keep the {d} in a cool place.",
]

# Voices of the pharmacy training part; the validation part is spoken by the others (all training-allowed).
TRAIN_VOICES = [("flite", "kal16", 1), ("flite", "awb", 1), ("flite", "rms", 1), ("flite", "slt", 1),
                ("festival", "kal_diphone", 1), ("festival", "cmu_us_slt_arctic_hts", 1),
                ("espeak", "mb-us1", 1), ("espeak", "mb-us2", 1), ("pico", "en-US", 1)]
VALIDATE_VOICES = [("festival", "ked_diphone", 1), ("festival", "us1_mbrola", 1), ("festival", "en1_mbrola", 1),
                   ("espeak", "mb-us3", 1), ("espeak", "mb-en1", 1)]
GENERAL_VOICES = TRAIN_VOICES + VALIDATE_VOICES


def read_terms():
    with open(os.path.join(HERE, "pharmacy-terms.txt"), encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def sentences(rng, terms, count, used):
    """`count` sentences that cycle through the terms evenly; pairs in `used` are skipped and then added."""
    out, i = [], 0
    order = terms[:]
    while len(out) < count:
        if i % len(order) == 0:
            rng.shuffle(order)
        drug = order[i % len(order)]
        i += 1
        for _ in range(50):
            template = rng.choice(TEMPLATES)
            other = rng.choice([t for t in terms if t != drug]) if "{e}" in template else ""
            key = (template, drug, other)
            if key not in used:
                break
        else:
            continue
        used.add(key)
        text = template.format(d=drug, e=other)
        out.append(text[0].upper() + text[1:])
    return out


def job(rng, text, voices, light_augment):
    engine, name = synth.pick_voice(rng, voices)
    augment = {"gain_db": -rng.randint(1, 6)}
    if light_augment and rng.random() < 0.3:
        augment["speed"] = round(rng.uniform(0.92, 1.08), 3)
    if light_augment and rng.random() < 0.2:
        augment["reverb"] = [rng.randint(15, 50), rng.randint(20, 80)]
    if engine == "festival" and rng.random() < 0.4:
        augment["pitch_cents"] = rng.randint(-200, 200)
    return {"engine": engine, "voice": name, "rate": round(rng.uniform(0.9, 1.1), 3),
            "pitch": round(rng.uniform(0.9, 1.1), 3), "augment": json.dumps(augment, separators=(",", ":")),
            "text": text}


def plan(args):
    rng = random.Random(args.seed)
    terms = read_terms()
    used = set()
    jobs = []
    for i, text in enumerate(sentences(rng, terms, args.train, used)):
        jobs.append({**job(rng, text, TRAIN_VOICES, True), "set": "dgdatasets/pharmacy", "stem": f"rx-{i:04d}"})
    validate_ids = []
    for i, text in enumerate(sentences(rng, terms, args.validate, used)):
        stem = f"rx-val-{i:03d}"
        validate_ids.append(stem)
        jobs.append({**job(rng, text, VALIDATE_VOICES, False), "set": "dgdatasets/pharmacy", "stem": stem})
    with open(os.path.join(args.text, "demo.txt"), encoding="utf-8") as f:
        general = [l.strip() for l in f if l.strip() and len(l.strip()) <= args.general_max_chars]
    for i, text in enumerate(general[:args.general]):
        jobs.append({**job(rng, text, GENERAL_VOICES, False), "set": "general-validate", "stem": f"gen-val-{i:03d}"})

    os.makedirs(os.path.join(args.out_dir, "manifests"), exist_ok=True)
    os.makedirs(os.path.join(args.out_dir, "dgdatasets", "pharmacy"), exist_ok=True)
    atomic.write_text(os.path.join(args.out_dir, "manifests", "jobs.tsv"),
                      "\t".join(synth.FIELDS) + "\n"
                      + "".join("\t".join(str(j[f]) for f in synth.FIELDS) + "\n" for j in jobs))
    voice_names = ", ".join(f"{e} {n}" for e, n, _ in VALIDATE_VOICES)
    atomic.write_text(os.path.join(args.out_dir, "dgdatasets", "pharmacy", "keep_validate.lst"),
                      f"# Cross-voice validation: these ids are spoken by {voice_names},\n"
                      "# voices that speak none of this set's training utterances.\n"
                      + "".join(s + "\n" for s in validate_ids))
    atomic.write_text(os.path.join(args.out_dir, "added-words.txt"), "".join(t + "\n" for t in terms))
    print(f"demo plan: {args.train} pharmacy training, {len(validate_ids)} pharmacy validation, "
          f"{min(args.general, len(general))} general validation utterances, {len(terms)} terms")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("plan")
    p.add_argument("out_dir")
    p.add_argument("--text", required=True)
    p.add_argument("--train", type=int, default=100)
    p.add_argument("--validate", type=int, default=36)
    p.add_argument("--general", type=int, default=20)
    p.add_argument("--general-max-chars", type=int, default=45)
    p.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    plan(args)


if __name__ == "__main__":
    main()
