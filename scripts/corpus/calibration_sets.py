"""Plans the extra data sets a general model's word-confidence map is fitted on, beside the corpus's validation set.

A map fitted only where the model is right 85 % of the time learns that base rate; on a new domain where it is right
half the time it is over-confident. These sets put the same training voices in conditions where the model is often
wrong, so that the map learns how the evidence (the acoustics, the language model, the beam) changes with the
difficulty instead of a constant:
  calibration-new-words  sentences from the same text sources that were kept out of the corpus because they hold
                         words outside the dictionary (names, rare and foreign words): a domain with new words
  calibration-short      one to three dictionary words alone: short utterances without sentence context
  calibration-noisy      validation sentences the corpus left unused, in loud noise, telephone band and reverb
Only training voices (voices.TRAIN); never the reserved voices, the test or demo sentences, or any held-out data.

  python3 calibration_sets.py CORPUS_DIR [--per-set N] [--seed S]
writes CORPUS_DIR/calibration/manifests/jobs.tsv; then `synth.py work CORPUS_DIR/calibration --worker 0 --workers 1`
makes CORPUS_DIR/calibration/dgdatasets/calibration-*/ (scripts/build-calibration-sets.sh runs both).
"""
import argparse
import json
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atomic  # noqa: E402
import synth  # noqa: E402
import textpool  # noqa: E402
import voices  # noqa: E402


def words_of(sentence):
    return [w.strip("'-").lower() for w in re.findall(r"[A-Za-z'\-]+", sentence)]


def new_word_sentences(pool_text, known_text, dictionary, excluded, wanted, seed):
    """Cleaned source sentences in no pool, with one to three words outside the dictionary (at least one of five
    letters or more) — the sentences textpool's mostly_known() dropped — and none of the demo's pharmacy terms."""
    found = []
    for _, generator in textpool.sources("en"):
        for raw in generator:
            s = textpool.clean_sentence(raw, "en")
            if s is None or s in pool_text:
                continue
            if excluded & set(words_of(s)):
                continue
            unknown = [w for w in words_of(s) if w and w not in dictionary and w not in known_text]
            if 1 <= len(unknown) <= 3 and any(len(w) >= 5 and w.isalpha() for w in unknown):
                found.append(s)
            if len(found) >= wanted * 20:
                break
    found = sorted(set(found))
    random.Random(f"{seed}-new-words").shuffle(found)
    return found[:wanted]


def short_phrases(dictionary_words, wanted, seed):
    rng = random.Random(f"{seed}-short")
    plain = sorted(w for w in dictionary_words if w.isalpha() and 3 <= len(w) <= 12)
    phrases = []
    for _ in range(wanted):
        n = rng.choice([1, 1, 2, 3])
        phrases.append(" ".join(rng.choice(plain) for _ in range(n)).capitalize() + ".")
    return phrases


def noisy(job, rng):
    augment = {"noise": [rng.choice(["pinknoise", "brownnoise", "whitenoise"]), round(rng.uniform(0.04, 0.15), 4)],
               "gain_db": -rng.randint(1, 12)}
    if rng.random() < 0.5 and not (job["engine"] == "flite" and job["voice"] == "kal"):
        augment["telephone"] = 1
    if rng.random() < 0.5:
        augment["reverb"] = [rng.randint(40, 90), rng.randint(50, 100)]
    if rng.random() < 0.5:
        augment["speed"] = round(rng.uniform(1.05, 1.2), 3)
    job["augment"] = json.dumps(augment, separators=(",", ":"))
    return job


def main():
    a = argparse.ArgumentParser()
    a.add_argument("corpus_dir")
    a.add_argument("--per-set", type=int, default=150)
    a.add_argument("--seed", type=int, default=1234)
    o = a.parse_args()
    text = os.path.join(o.corpus_dir, "text")
    pools = {}
    for part in ("train", "valid", "test", "demo"):
        with open(os.path.join(text, f"{part}.txt"), encoding="utf-8") as f:
            pools[part] = [l.rstrip("\n") for l in f if l.strip()]
    pool_text = set().union(*pools.values())
    known_text = {w for s in pools["train"] for w in words_of(s)}
    dictionary = textpool.english_words()
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pharmacy-terms.txt"), encoding="utf-8") as f:
        excluded = {l.strip().lower() for l in f if l.strip() and not l.startswith("#")}
    # The corpus's validation set uses the first valid sentences (one per utterance); the rest are unused.
    valid_used = sum(1 for _ in open(os.path.join(o.corpus_dir, "dgdatasets", "general-validate", "keep_validate.lst"))
                     if not _.startswith("#"))
    unused_valid = pools["valid"][valid_used:]

    sets = [
        ("calibration-new-words", new_word_sentences(pool_text, known_text, dictionary, excluded, o.per_set, o.seed), None),
        ("calibration-short", short_phrases(dictionary, o.per_set, o.seed), None),
        ("calibration-noisy", unused_valid[:o.per_set], noisy),
    ]
    reserved_variants = {n.split("+")[1] for e, n, _ in voices.RESERVED["en"] if "+" in n}
    jobs = []
    for name, sentences, change in sets:
        for i, sentence in enumerate(sentences):
            rng = random.Random(f"{o.seed}:en:{name}:{i}")
            job = synth.plan_one(rng, "en", "valid", sentence, voices.TRAIN["en"], reserved_variants, "mild")
            if change:
                job = change(job, rng)
            job["set"], job["stem"] = f"dgdatasets/{name}", f"{name.split('-', 1)[1]}-{i:04d}"
            jobs.append(job)
        print(f"{name}: {len(sentences)} utterances")
    out = os.path.join(o.corpus_dir, "calibration")
    os.makedirs(os.path.join(out, "manifests"), exist_ok=True)
    atomic.write_text(os.path.join(out, "manifests", "jobs.tsv"),
                      "\t".join(synth.FIELDS) + "\n"
                      + "".join("\t".join(str(j[f]) for f in synth.FIELDS) + "\n" for j in jobs))
    for name, _, _ in sets:
        os.makedirs(os.path.join(out, "dgdatasets", name), exist_ok=True)
        atomic.write_text(os.path.join(out, "dgdatasets", name, "keep_validate.lst"),
                          f"# {name}: fits the word-confidence map only\n"
                          + "".join(j["stem"] + "\n" for j in jobs if j["set"].endswith(name)))


if __name__ == "__main__":
    main()
