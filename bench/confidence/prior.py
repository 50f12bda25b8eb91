#!/usr/bin/env python3
"""How strongly should a custom-trained model's re-fitted confidence map stay close to its starting model's map?

autotrain re-fits the map on the run's validation split and the general-domain guard set; with a few validation
utterances the fit follows the guard set's words and ranks the new domain's words worse than the starting map did.
For each custom model in a word-evidence table this re-fits the map as autotrain does (the model's own validation
utterances, read from RUN/res/.train_meta/datasetsplits.meta_jm, plus the guard rows), shrunk towards the starting
model's map with the strength of N words (ConfidenceCalibration's MapPrior; N = 0 is the plain ridge towards 0), and
scores it on the held-out rows: ECE and AUROC.

  dgtools evaluate START.dg RUN1/general-en.last.dg ... --dataset-locations LIST --split all --word-evidence ev.tsv
  bench/confidence/prior.py --table ev.tsv --start START.dg --guard general-validate/ --heldout pharm-heldout/ \\
      --words 0,30,100,300,1000

Run the evaluation in the table's directory or with absolute model paths. LIST holds the guard set, the held-out set and the pool the runs' validation utterances came from.
"""
import argparse
import math
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import transfer as t  # noqa: E402


def validation_utterances(model_path):
    meta = os.path.join(os.path.dirname(model_path), "res", ".train_meta", "datasetsplits.meta_jm")
    with open(meta, encoding="utf-8") as f:
        return {line.split("\t")[1].strip().split("/")[-1] for line in f if line.startswith("validate\t")}


CANDIDATES = [0, 10, 30, 100, 300, 1000]


def choose(rows, names, prior, candidates, folds=2):
    """The strength whose 2-fold cross-validated log-loss on the fit rows is lowest (folds by utterance, in order of
    appearance)."""
    order = list(dict.fromkeys(r["utterance"] for r in rows))
    fold = {u: i % folds for i, u in enumerate(order)}
    best = None
    for n in candidates:
        loss = 0.0
        for f in range(folds):
            train = [r for r in rows if fold[r["utterance"]] != f]
            test = [r for r in rows if fold[r["utterance"]] == f]
            beta = t.fit(train, names, prior=prior if n > 0 else None, prior_words=n)
            loss += sum(-math.log(min(max(p if r["correct"] == "1" else 1 - p, 1e-9), 1))
                        for p, r in zip(t.predict(beta, names, test), test))
        if best is None or loss < best[1]:
            best = (n, loss)
    return best[0]


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--table", required=True)
    a.add_argument("--start", required=True, help="the starting model (its rows are the general model's baseline)")
    a.add_argument("--guard", required=True, help="utterance prefix of the guard set's rows")
    a.add_argument("--heldout", required=True, help="utterance prefix of the held-out rows")
    a.add_argument("--words", default="0,30,100,300,1000,3000")
    o = a.parse_args()
    names = list(t.FEATURES)
    prior = t.read_map(o.start)
    by_model = {}  # by the model's real path (a relative path is relative to the table's directory)
    for r in t.read(o.table):
        path = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(o.table)), r["model"]))
        by_model.setdefault(path, []).append(r)
    strengths = [float(w) for w in o.words.split(",")]
    held = lambda rows: [r for r in rows if r["utterance"].startswith(o.heldout)]
    start_rows = held(by_model.pop(os.path.realpath(o.start)))
    ge, ga, gacc, _ = t.score([float(r["confidence"]) for r in start_rows], start_rows)
    print(f"general model on held-out: {len(start_rows)} words, {gacc:.1%} right, ECE {ge:.3f}, AUROC {ga:.3f}")
    print(f"{'run':<28}{'fit words':>10}{'held words':>11}{'stored':>15}{'start map':>15}"
          + "".join(f"{f'N={w:g}':>15}" for w in strengths) + f"{'N by CV':>15}")
    columns = {k: [] for k in ["stored", "start"] + strengths + ["chosen"]}
    choices = []
    for model, rows in sorted(by_model.items()):
        val = validation_utterances(model)
        fit_rows = [r for r in rows if r["utterance"].startswith(o.guard)
                    or (not r["utterance"].startswith(o.heldout) and r["utterance"].split("/")[-1] in val)]
        test = held(rows)
        cells = {"stored": t.score([float(r["confidence"]) for r in test], test),
                 "start": t.score(t.predict_map(prior, test), test)}
        for w in strengths:
            beta = t.fit(fit_rows, names, prior=prior if w > 0 else None, prior_words=w)
            cells[w] = t.score(t.predict(beta, names, test), test)
        chosen = choose(fit_rows, names, prior, CANDIDATES)
        beta = t.fit(fit_rows, names, prior=prior if chosen > 0 else None, prior_words=chosen)
        cells["chosen"] = t.score(t.predict(beta, names, test), test)
        choices.append(chosen)
        run = "/".join(model.split("/")[-3:-1])
        print(f"{run:<28}{len(fit_rows):>10}{len(test):>11}"
              + "".join(f"{cells[k][0]:>8.3f}/{cells[k][1]:.3f}" for k in columns))
        for k in columns:
            columns[k].append(cells[k])
    print(f"{'mean ECE/AUROC':<49}" + "".join(
        f"{statistics.mean(c[0] for c in v):>8.3f}/{statistics.mean(c[1] for c in v):.3f}" for v in columns.values()))
    print(f"{'runs below the general AUROC':<49}" + "".join(f"{sum(c[1] < ga for c in v):>15}" for v in columns.values()))
    print(f"strengths chosen by cross-validation: {', '.join(f'{c:g}' for c in choices)}")


if __name__ == "__main__":
    sys.exit(main())
