#!/usr/bin/env python3
"""Makes the WER/CER parity fixtures: random reference/hypothesis pairs scored by NIST sclite (Debian `sctk`).

Writes tests/DgTools.Tests/Fixtures/Evaluation/sclite_words.tsv and sclite_chars.tsv with one line per pair:
id, reference, hypothesis, C, S, D, I and sclite's alignment as one letter per column (C/S/D/I).
CI reads the saved files; rerun this only to regenerate them:  python3 bench/data/make_wer_fixtures.py
"""
import os, random, subprocess, sys, tempfile

SCLITE = "/usr/lib/sctk/bin/sclite"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "DgTools.Tests", "Fixtures", "Evaluation")

WORDS = "the a cat sat on mat dog ran to of and in is it".split()
KO = "한국어 말 이 사람 나는 학교 에 갔다".split()


def random_pairs(rng, n, vocab):
    pairs = []
    for _ in range(n):
        ref = [rng.choice(vocab) for _ in range(rng.randint(1, 12))]
        hyp = []
        for w in ref:
            r = rng.random()
            if r < 0.6: hyp.append(w)
            elif r < 0.75: hyp.append(rng.choice(vocab))
            elif r < 0.87: pass
            else: hyp += [w, rng.choice(vocab)]
        if rng.random() < 0.1: hyp = [rng.choice(vocab) for _ in range(rng.randint(0, 6))]
        if rng.random() < 0.05: hyp = []
        pairs.append((ref, hyp))
    return pairs


def run_sclite(pairs, chars):
    with tempfile.TemporaryDirectory() as d:
        ids = [f"spk_{i:04d}" for i in range(len(pairs))]
        with open(os.path.join(d, "ref.trn"), "w", encoding="utf-8") as f:
            for i, (r, _) in zip(ids, pairs): f.write(" ".join(r) + f" ({i})\n")
        with open(os.path.join(d, "hyp.trn"), "w", encoding="utf-8") as f:
            for i, (_, h) in zip(ids, pairs): f.write(" ".join(h) + f" ({i})\n")
        args = [SCLITE, "-e", "utf-8", "-r", "ref.trn", "trn", "-h", "hyp.trn", "trn", "-i", "spu_id", "-o", "pralign", "stdout"]
        if chars: args.insert(1, "-c")
        out = subprocess.run(args, cwd=d, capture_output=True, text=True, check=True).stdout
    results, cur = {}, None
    for line in out.splitlines():
        if line.startswith("id: ("): cur = line[5:-1]; results[cur] = {}
        elif cur and line.startswith("Scores:"): results[cur]["scores"] = line.split()[-4:]
        elif cur and line[:5] in ("REF: ", "HYP: "):
            results[cur][line[:4]] = line[5:].rstrip()
    rows = []
    for i, (r, h) in zip(ids, pairs):
        res = results[i]
        # One letter per alignment column (C match, S substitution, D deletion, I insertion), read from the
        # REF/HYP rows: sclite writes a gap as asterisks and an error in upper case.
        kinds = ""
        for rt, ht in zip(res["REF:"].split(), res["HYP:"].split()):
            kinds += "I" if set(rt) == {"*"} else "D" if set(ht) == {"*"} else "C" if rt == ht else "S"
        rows.append([i, " ".join(r), " ".join(h), *res["scores"], kinds])
    return rows


def main():
    rng = random.Random(20261125)
    word_pairs = random_pairs(rng, 300, WORDS) + random_pairs(rng, 60, KO)
    char_pairs = random_pairs(rng, 150, WORDS) + random_pairs(rng, 50, KO)
    for name, pairs, chars in (("sclite_words.tsv", word_pairs, False), ("sclite_chars.tsv", char_pairs, True)):
        rows = run_sclite(pairs, chars)
        with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
            f.write("# made by bench/data/make_wer_fixtures.py with " + SCLITE + (" -c" if chars else "") + "\n")
            f.write("# id\tref\thyp\tC\tS\tD\tI\talignment (one letter per column)\n")
            for row in rows: f.write("\t".join(row) + "\n")
        print(name, len(rows))


if __name__ == "__main__":
    main()
