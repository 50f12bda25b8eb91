#!/usr/bin/env python3
"""Does a word-confidence map transfer to domains it never saw? Fits logistic maps (the same features, ridge and
Newton's method as src/DgTools/Decoding/ConfidenceCalibration.cs) on some word-evidence tables and scores them on
others: ECE (10 equal-width bins) and AUROC, as `dgtools evaluate` measures them.

The tables come from `dgtools evaluate MODEL --dataset-locations SET --split all --word-evidence SET.tsv`.

  bench/confidence/transfer.py --fit mild.tsv,noisy.tsv --heldout reserved.tsv,pharm.tsv [--features all|v1|NAME,...]
      [--leave-one-out]

--leave-one-out also scores each fit table by a map fitted on the other fit tables (how the mix transfers to a
condition it lacks).
"""
import argparse
import math
import os
import sys

RIDGE = 1.0


def logit(p):
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def num(row, key, default):
    v = row.get(key, "")
    return float(v) if v != "" else default


FEATURES = {
    "acoustic_logit": lambda r: logit(num(r, "acoustic", 0.5)),
    "weakest_unit_logit": lambda r: logit(num(r, "weakest_unit", 0.5)),
    "hypotheses_logit": lambda r: logit(num(r, "hypotheses", 1)),
    "in_vocabulary": lambda r: {"1": 1.0, "0": 0.0}.get(r.get("in_vocabulary", ""), 0.5),
    "log_units": lambda r: math.log(max(1, num(r, "units", 1))),
    "log_frames_per_unit": lambda r: math.log(min(max(num(r, "frames_per_unit", 1), 0.1), 100)),
    "neighbours_logit": lambda r: logit(num(r, "neighbours", 1)),
    "utterance_logit": lambda r: logit(num(r, "utterance_acoustic", 1)),
    "log_lexicon_count": lambda r: math.log(1 + max(0, num(r, "lexicon_count", 0))),
    "language_model": lambda r: min(max(num(r, "language_model", -8), -25), 0),
    "utterance_language_model": lambda r: min(max(num(r, "utterance_language_model", -8), -25), 0),
    "agreement": lambda r: num(r, "agreement", 1),
    "utterance_agreement": lambda r: num(r, "utterance_agreement", 1),
    "log_utterance_words": lambda r: math.log(max(1, num(r, "utterance_words", 1))),
}
V1 = list(FEATURES)[:9]


def read(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f if line.strip()]


def solve(a, b):
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        if abs(m[c][c]) < 1e-15:
            continue
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            if f:
                for j in range(c, n + 1):
                    m[r][j] -= f * m[c][j]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        s = m[r][n] - sum(m[r][j] * x[j] for j in range(r + 1, n))
        x[r] = 0.0 if abs(m[r][r]) < 1e-15 else s / m[r][r]
    return x


def log1pexp(z):
    return z + math.log1p(math.exp(-z)) if z > 0 else math.log1p(math.exp(z))


def sigmoid(z):
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def read_map(model_path):
    """The confidence map stored in a .dg file: {feature: weight, ..., "bias": b}."""
    import json
    import re
    with open(model_path, "rb") as f:
        data = f.read()
    m = re.search(rb'\{\\"version\\":1,\\"decoding\\":.*?\\"fit\\":\{.*?\}\}', data)
    stored = json.loads(json.loads(b'"' + m.group(0) + b'"'))
    return dict(zip(stored["features"], stored["weights"])) | {"bias": stored["bias"]}


def fit(rows, names, weights=None, prior=None, prior_words=0.0):
    """Ridge logistic regression by Newton's method; weights: per-row weights (default 1). With a prior map
    ({feature: weight}), the weights are shrunk towards its weights with the strength of prior_words words, as
    ConfidenceCalibration.FitTo's MapPrior does."""
    x = [[FEATURES[n](r) for n in names] + [1.0] for r in rows]
    y = [1.0 if r["correct"] == "1" else 0.0 for r in rows]
    w = weights or [1.0] * len(rows)
    k = len(names) + 1
    centre, strength = [0.0] * (k - 1), [RIDGE] * (k - 1)
    if prior is not None:
        centre = [prior.get(n, 0.0) for n in names]
        p0 = predict_map(prior, rows)
        for i in range(k - 1):
            info = sum(wi * p * (1 - p) * xi[i] ** 2 for wi, p, xi in zip(w, p0, x)) / sum(w)
            strength[i] = RIDGE + prior_words * info
    rate = min(max(sum(wi * yi for wi, yi in zip(w, y)) / sum(w), 1e-3), 1 - 1e-3)
    beta = centre[:] + [prior["bias"] if prior is not None else math.log(rate / (1 - rate))]

    def objective(b):
        total = 0.0
        for xi, yi, wi in zip(x, y, w):
            z = sum(bb * v for bb, v in zip(b, xi))
            total -= wi * log1pexp(-z if yi > 0.5 else z)
        return total - sum(s * (bb - c) ** 2 / 2 for s, bb, c in zip(strength, b, centre))
    for _ in range(50):
        g = [0.0] * k
        h = [[0.0] * k for _ in range(k)]
        for xi, yi, wi in zip(x, y, w):
            p = sigmoid(sum(b * v for b, v in zip(beta, xi)))
            q = wi * max(p * (1 - p), 1e-12)
            for i in range(k):
                g[i] += wi * (yi - p) * xi[i]
                hi = h[i]
                for j in range(i, k):
                    hi[j] += q * xi[i] * xi[j]
        for i in range(k):
            for j in range(i):
                h[i][j] = h[j][i]
        for i in range(k - 1):
            g[i] -= strength[i] * (beta[i] - centre[i])
            h[i][i] += strength[i]
        h[k - 1][k - 1] += 1e-9
        step = solve(h, g)
        # Halved until the objective does not get worse (as the C# fit does).
        before, scale = objective(beta), 1.0
        while True:
            nxt = [b + scale * s for b, s in zip(beta, step)]
            if objective(nxt) >= before - 1e-12 or scale < 1e-6:
                break
            scale /= 2
        beta = nxt
        if max(abs(s) for s in step) * scale < 1e-7:
            break
    return beta


def predict(beta, names, rows):
    return [sigmoid(sum(b * v for b, v in zip(beta, [FEATURES[n](r) for n in names] + [1.0]))) for r in rows]


def predict_map(m, rows):
    """The probabilities a stored map (read_map) gives the rows."""
    names = [n for n in m if n != "bias"]
    return [sigmoid(m["bias"] + sum(m[n] * FEATURES[n](r) for n in names)) for r in rows]


def ece(conf, correct, bins=10):
    total, err = len(conf), 0.0
    for b in range(bins):
        idx = [i for i, c in enumerate(conf) if (min(int(c * bins), bins - 1) == b)]
        if idx:
            err += len(idx) / total * abs(sum(conf[i] for i in idx) / len(idx) - sum(correct[i] for i in idx) / len(idx))
    return err


def auroc(conf, correct):
    pos = [c for c, y in zip(conf, correct) if y]
    neg = [c for c, y in zip(conf, correct) if not y]
    if not pos or not neg:
        return float("nan")
    order = sorted(range(len(conf)), key=lambda i: conf[i])
    ranks, i = [0.0] * len(conf), 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and conf[order[j + 1]] == conf[order[i]]:
            j += 1
        for t in range(i, j + 1):
            ranks[order[t]] = (i + j) / 2 + 1
        i = j + 1
    rpos = sum(r for r, y in zip(ranks, correct) if y)
    return (rpos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def ece_floor(conf, draws=200, seed=1):
    """The ECE a perfectly calibrated map would still show on this many words: the mean ECE when each word's
    correctness is drawn with its own confidence (sampling noise of the measurement itself)."""
    import random
    rng = random.Random(seed)
    return sum(ece(conf, [1 if rng.random() < c else 0 for c in conf]) for _ in range(draws)) / draws


def score(conf, rows):
    y = [1 if r["correct"] == "1" else 0 for r in rows]
    return ece(conf, y), auroc(conf, y), sum(y) / len(y), sum(conf) / len(conf)


def name_of(path):
    return os.path.basename(path).removesuffix(".tsv").removeprefix("ev-")


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--fit", required=True)
    a.add_argument("--heldout", required=True)
    a.add_argument("--features", default="all")
    a.add_argument("--balance", type=float, default=0,
                   help="weight each fit table's words by (its word count)^-B: 0 by words, 1 every table equally")
    a.add_argument("--leave-one-out", action="store_true")
    o = a.parse_args()
    names = list(FEATURES) if o.features == "all" else V1 if o.features == "v1" else o.features.split(",")
    fit_tables = {name_of(p): read(p) for p in o.fit.split(",")}
    held = {name_of(p): read(p) for p in o.heldout.split(",")}

    def fit_on(tables):
        rows = [r for t in tables for r in t]
        w = [len(t) ** -o.balance for t in tables for _ in t]
        w = [x * len(rows) / sum(w) for x in w]
        return fit(rows, names, w)

    beta = fit_on(list(fit_tables.values()))
    print(f"features: {','.join(names)}; fit on {', '.join(f'{k} ({len(v)})' for k, v in fit_tables.items())}"
          + f", balance {o.balance}")
    print("weights: " + ", ".join(f"{n} {b:+.3f}" for n, b in zip(names + ['bias'], beta)))
    print(f"{'set':<24}{'words':>7}{'right':>8}{'acoustic ECE/AUROC':>22}{'map ECE/AUROC':>20}{'mean conf':>11}{'ECE floor':>11}")
    for k, rows in held.items():
        ae, aa, acc, _ = score([num(r, "acoustic", 0.5) for r in rows], rows)
        conf = predict(beta, names, rows)
        me, ma, _, mc = score(conf, rows)
        print(f"{k:<24}{len(rows):>7}{acc:>8.1%}{ae:>13.3f} / {aa:.3f}{me:>11.3f} / {ma:.3f}{mc:>11.3f}{ece_floor(conf):>11.3f}")
    if o.leave_one_out and len(fit_tables) > 1:
        print("leave one fit table out:")
        for k, rows in fit_tables.items():
            b = fit_on([t for n, t in fit_tables.items() if n != k])
            me, ma, acc, mc = score(predict(b, names, rows), rows)
            print(f"  {k:<22}{len(rows):>7}{acc:>8.1%}{'':>22}{me:>11.3f} / {ma:.3f}{mc:>11.3f}")


if __name__ == "__main__":
    sys.exit(main())
