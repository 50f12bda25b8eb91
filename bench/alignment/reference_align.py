#!/usr/bin/python3
"""Reference CTC forced aligner (Viterbi) in PyTorch, for parity tests and the side-by-side benchmark.

Run with Debian's python3 (python3-torch 1.13):  /usr/bin/python3 bench/alignment/reference_align.py ...

The graph is the CTC topology described in src/DgTools/Alignment/CtcAlignmentGraph.cs, written here again from that
description (not translated from the C#):
  per gap k = 0..N: a blank B_k and, with garbage on, a garbage state G_k scored max(lp[blank], max_{u>=1} lp[u] +
  penalty); with a separator unit (the space), gaps between words continue with the separator and a blank; per word: units with a blank between neighbours; repeats of the same unit need the blank.
Scores are float64; log-posteriors are floored at -100; ties go to the earliest predecessor in the order
(self, then the listed predecessors), and among final states to the earliest of (B_N, G_N, last unit).

Commands
  make-fixtures OUTDIR        synthetic CTC-like posteriors + reference paths (tests/DgTools.Tests/Fixtures/Alignment)
  align POST.f32 WORDS.json   print the path (exact full Viterbi, or --beam B for the banded search)
  make-long OUTDIR            an hour of synthetic posteriors + transcript with true word frames (benchmark input)
  bench POST.f32 WORDS.json --band   time the banded search (the full one does not fit an hour in memory)
"""
import argparse
import json
import math
import os
import resource
import sys
import time

import torch

FLOOR = -100.0
NEG_INF = float("-inf")


def build_graph(words, garbage, separator=None):
    emit, preds, word_of = [], [], []

    def add(unit, word, sources):
        s = len(emit)
        emit.append(unit)
        word_of.append(word)
        preds.append([s] + [p for p in sources if p >= 0])
        return s

    last, previous_unit, initial = -1, -1, None
    finals = []
    for k in range(len(words) + 1):
        b = add(0, -1, [last])
        g = add(-1, -1, [b, last]) if garbage else -1
        if k == len(words):
            finals = [b] + ([g] if garbage else []) + ([last] if last >= 0 else [])
            break
        units = words[k]
        if separator is not None and k > 0:
            space = add(separator, -1, [b, g, last])
            after = add(0, -1, [space])
            t = add(units[0], k, [after, space])
        else:
            t = add(units[0], k, [b, g, last if previous_unit != units[0] else -1])
        if k == 0:
            initial = t + 1
        for j in range(1, len(units)):
            inner = add(0, k, [t])
            t = add(units[j], k, [inner, t if units[j - 1] != units[j] else -1])
        last, previous_unit = t, units[-1]
    if initial is None:
        initial = len(emit)
    return emit, preds, word_of, initial, finals


def garbage_scores(lp, penalty):
    return torch.maximum(lp[:, 0], lp[:, 1:].max(dim=1).values + (penalty if penalty is not None else 0.0))


def emissions(logp, emit, penalty):
    """T x S emission scores (float64)."""
    lp = logp.double().clamp(min=FLOOR)
    table = torch.cat([lp, garbage_scores(lp, penalty)[:, None]], dim=1)  # column U = garbage
    units = lp.shape[1]
    index = torch.tensor([u if u >= 0 else units for u in emit], dtype=torch.long)
    return table[:, index]


def pred_table(preds):
    k = max(len(p) for p in preds)
    table = torch.zeros((len(preds), k), dtype=torch.long)
    valid = torch.zeros((len(preds), k), dtype=torch.bool)
    for s, ps in enumerate(preds):
        table[s, : len(ps)] = torch.tensor(ps)
        valid[s, : len(ps)] = True
    return table, valid


def first_max(cand):
    """Max over dim 1 and the first index reaching it (deterministic tie-break)."""
    best = cand.max(dim=1).values
    k = cand.shape[1]
    order = torch.arange(k).expand_as(cand)
    arg = torch.where(cand == best[:, None], order, torch.full_like(order, k)).min(dim=1).values
    return best, arg


def viterbi_full(logp, words, penalty, separator=None):
    """Exact Viterbi over all T x S; returns the state path."""
    emit, preds, _, initial, finals = build_graph(words, penalty is not None, separator)
    e = emissions(logp, emit, penalty)
    table, valid = pred_table(preds)
    frames, states = e.shape
    score = torch.full((states,), NEG_INF, dtype=torch.float64)
    score[:initial] = e[0, :initial]
    back = torch.zeros((frames, states), dtype=torch.int8)
    for t in range(1, frames):
        cand = score[table].masked_fill(~valid, NEG_INF)
        best, arg = first_max(cand)
        score = best + e[t]
        back[t] = arg.to(torch.int8)
    return backtrack(score, finals, back, table)


def backtrack(score, finals, back, table):
    final_scores = score[torch.tensor(finals)]
    if torch.isinf(final_scores.max()):
        return None
    state = finals[int(first_max(final_scores[None, :])[1][0])]
    path = [0] * back.shape[0]
    for t in range(back.shape[0] - 1, -1, -1):
        path[t] = state
        if t > 0:
            state = int(table[state, int(back[t, state])])
    return path


def frames_to_end(preds, finals):
    """Fewest frames a path in each state needs after the current one to reach a final state."""
    need = [10 ** 9] * len(preds)
    for f in finals:
        need[f] = 0
    for s in range(len(preds) - 1, -1, -1):
        for p in preds[s][1:]:
            need[p] = min(need[p], need[s] + 1)
    return torch.tensor(need)


def viterbi_banded(logp, words, penalty, beam, max_active, separator=None):
    """The same search restricted per frame to a contiguous band of states: those within `beam` of the best, at most
    `max_active` around the best state (the C# aligner's rule, without its memory commits). Back-pointers are kept
    per frame for the band only."""
    emit, preds, _, initial, finals = build_graph(words, penalty is not None, separator)
    table, valid = pred_table(preds)
    jump = max(s - p for s, ps in enumerate(preds) for p in ps)
    lp = logp.double().clamp(min=FLOOR)
    frame_best = garbage_scores(lp, penalty)
    emit_t = torch.tensor(emit, dtype=torch.long)
    garbage_mask = emit_t < 0
    emit_index = emit_t.clamp(min=0)
    states = len(emit)
    frames = lp.shape[0]

    need = frames_to_end(preds, finals)

    def emission(t, lo, hi):
        e = lp[t, emit_index[lo : hi + 1]]
        g = garbage_mask[lo : hi + 1]
        e = torch.where(g, frame_best[t].expand_as(e), e)
        # states from which the rest of the transcript cannot fit into the remaining frames are dead
        return e.masked_fill(t + need[lo : hi + 1] >= frames, NEG_INF)

    def prune(score, lo):
        best, best_state = first_max(score[None, :])
        best, best_state = float(best[0]), int(best_state[0]) + lo
        keep = (score >= best - beam).nonzero().flatten()
        new_lo, new_hi = int(keep[0]) + lo, int(keep[-1]) + lo
        if new_hi - new_lo + 1 > max_active:
            new_lo = max(new_lo, best_state - max_active // 2)
            new_hi = min(new_hi, new_lo + max_active - 1)
        return new_lo, new_hi

    full = torch.full((states,), NEG_INF, dtype=torch.float64)
    lo, hi = 0, initial - 1
    full[lo : hi + 1] = emission(0, lo, hi)
    rows = [(0, torch.zeros(initial, dtype=torch.int8))]
    lo, hi = prune(full[lo : hi + 1], lo)
    for t in range(1, frames):
        new_hi = min(states - 1, hi + jump)
        sub = table[lo : new_hi + 1]
        ok = valid[lo : new_hi + 1] & (sub >= lo) & (sub <= hi)
        cand = full[sub].masked_fill(~ok, NEG_INF)
        best, arg = first_max(cand)
        score = best + emission(t, lo, new_hi)
        full[lo : new_hi + 1] = score
        p_lo, p_hi = prune(score, lo)
        rows.append((p_lo, arg[p_lo - lo : p_hi - lo + 1].to(torch.int8)))
        lo, hi = p_lo, p_hi
    candidates = [s for s in finals if lo <= s <= hi and not math.isinf(float(full[s]))]
    if not candidates:
        return None
    state = max(candidates, key=lambda s: (float(full[s]), -finals.index(s)))
    path = [0] * frames
    for t in range(frames - 1, -1, -1):
        path[t] = state
        if t > 0:
            row_lo, row = rows[t]
            state = int(table[state, int(row[state - row_lo])])
    return path


# ---------------------------------------------------------------------------------------------------------------
# Synthetic CTC-like posteriors with known word boundaries (for fixtures).

ALPHABET = "abcdefghijklmnopqrstuvwxyz'"
UNITS = len(ALPHABET) + 1  # blank first


def spell(word):
    return [ALPHABET.index(c) + 1 for c in word]


def synthesize(spoken, gen, frame_seconds=0.04, separator=None):
    """spoken: list of words actually in the audio, or None for a stretch of untranscribed noise-speech.
    Returns float32 log-posteriors (T x UNITS) and the true (start, end) frame of each spoken word."""
    frames, spikes, bounds = 0, [], []
    plan = []
    for i, word in enumerate(spoken):
        pause = int(torch.randint(0, 8, (1,), generator=gen))
        frames += pause
        units = spell(word) if word else [int(torch.randint(1, UNITS, (1,), generator=gen)) for _ in range(6)]
        length = sum(int(torch.randint(2, 5, (1,), generator=gen)) for _ in units)
        start = frames
        for j, u in enumerate(units):
            plan.append((start + (j * length) // len(units), u))
        frames += length
        bounds.append((start, frames))
        if separator is not None and i < len(spoken) - 1:
            frames += 1
            plan.append((frames - 1, separator))
    frames += 5
    units_total = UNITS + (1 if separator is not None else 0)
    logits = torch.randn((frames, units_total), generator=gen) * 1.2
    logits[:, 0] += 5.0
    for t, u in plan:  # (the separator, if any, is unit UNITS: the last column)
        logits[t, u] += 9.0
        logits[t, 0] -= 5.0
    return torch.log_softmax(logits, dim=1).float(), bounds


def synthesize_shifted(spoken, gen, shift):
    """synthesize(), with every letter one unit up and unit 1 a space spike after each word when shift == 1."""
    if not shift:
        return synthesize(spoken, gen)
    logp, bounds = synthesize(spoken, gen, separator=UNITS)
    # synthesize put the space at the last column; move it to column 1, letters up by one.
    order = [0, UNITS] + list(range(1, UNITS))
    return logp[:, order].contiguous(), bounds


def make_fixtures(out):
    os.makedirs(out, exist_ok=True)
    gen = torch.Generator().manual_seed(7)
    vocabulary = ["the", "cat", "sat", "on", "mat", "hello", "world", "speech", "is", "all", "good", "see", "book",
                  "keep", "letter", "balloon", "three", "coffee", "it's", "a"]

    def sentence(n):
        return [vocabulary[int(i)] for i in torch.randint(0, len(vocabulary), (n,), generator=gen)]

    cases = {}
    # clean: transcript = audio, many doubled letters
    spoken = sentence(40)
    cases["clean"] = (spoken, spoken)
    # wrong: one sentence of the transcript is not what was said
    spoken = sentence(30)
    transcript = spoken[:10] + ["completely", "different", "words", "here"] + spoken[14:]
    cases["wrong_sentence"] = (spoken, transcript)
    # untranscribed: the audio has speech (and noise) the transcript lacks, at the start, middle and end
    said = sentence(25)
    spoken = [None, None] + said[:12] + [None, None, None] + said[12:] + [None]
    cases["untranscribed"] = (spoken, said)
    # missing: the transcript has words the audio lacks
    spoken = sentence(25)
    transcript = spoken[:8] + ["extra", "words", "nobody", "said"] + spoken[8:]
    cases["missing_audio"] = (spoken, transcript)
    # separator: units shifted by one, unit 1 is a space the "model" emits between words (dgtools alphabets)
    spoken = sentence(20)
    transcript = spoken[:12] + ["not", "said"] + spoken[12:]
    cases["separator"] = (spoken, transcript)

    manifest = []
    for name, (spoken, transcript) in cases.items():
        separator = 1 if name == "separator" else None
        shift = 1 if separator is not None else 0
        spoken = [w if w is None else w for w in spoken]
        logp, bounds = synthesize_shifted(spoken, gen, shift)
        logp.numpy().astype("<f4").tofile(os.path.join(out, f"{name}.f32"))
        words = [[u + shift for u in spell(w)] for w in transcript]
        references = []
        for penalty in (None, -4.0):
            path = viterbi_full(logp, words, penalty, separator)
            references.append({"garbage_penalty": penalty, "path": path})
        manifest.append({
            "name": name,
            "posteriors": f"{name}.f32",
            "frames": logp.shape[0],
            "units": logp.shape[1],
            "separator": separator,
            "frame_seconds": 0.04,
            "words": [{"text": w, "units": u} for w, u in zip(transcript, words)],
            "references": references,
        })
        print(f"{name}: {logp.shape[0]} frames, {len(words)} words", file=sys.stderr)
    with open(os.path.join(out, "parity.json"), "w") as f:
        json.dump({"format": "dgtools-alignment-parity", "version": 1, "alphabet": ALPHABET, "cases": manifest}, f)


def make_long(out, minutes, seed):
    """An hour-scale recording: short utterances (some with untranscribed babble) concatenated with pauses."""
    os.makedirs(out, exist_ok=True)
    gen = torch.Generator().manual_seed(seed)
    vocabulary = open(os.path.join(os.path.dirname(__file__), "words.txt")).read().split()
    spoken, transcript = [], []
    seconds = 0.0
    while seconds < minutes * 60:
        n = int(torch.randint(4, 16, (1,), generator=gen))
        sentence = [vocabulary[int(i)] for i in torch.randint(0, len(vocabulary), (n,), generator=gen)]
        if float(torch.rand(1, generator=gen)) < 0.05:
            spoken.append(None)
        spoken.extend(sentence)
        transcript.extend(sentence)
        spoken.extend([""] * int(torch.randint(0, 3, (1,), generator=gen)))  # "" = a pause word: silence
        seconds += sum(len(w) for w in sentence) / 16.3 + 0.6
    logp, bounds = synthesize_long(spoken, gen)
    logp.numpy().astype("<f4").tofile(os.path.join(out, "long.f32"))
    truth = [b for w, b in zip(spoken, bounds) if w]
    with open(os.path.join(out, "long.words.json"), "w") as f:
        json.dump([{"text": w, "units": spell(w), "start_frame": b[0], "end_frame": b[1]}
                   for w, b in zip(transcript, truth)], f)
    print(f"{logp.shape[0]} frames ({logp.shape[0] * 0.04 / 60:.1f} min), {len(transcript)} words", file=sys.stderr)


def synthesize_long(spoken, gen):
    """Like synthesize(), vectorised enough for an hour; "" is a pause, None untranscribed babble."""
    frames, spikes, bounds = 0, [], []
    for word in spoken:
        if word == "":
            frames += 10
            bounds.append((frames, frames))
            continue
        units = spell(word) if word else torch.randint(1, UNITS, (6,), generator=gen).tolist()
        per_unit = torch.randint(1, 4, (len(units),), generator=gen)
        length = max(len(units), int(per_unit.sum()) * 2 // 3 + 1)
        start = frames
        for j, u in enumerate(units):
            lo, hi = start + j * length // len(units), start + (j + 1) * length // len(units)
            spikes.append((lo + int(torch.randint(0, max(1, hi - lo), (1,), generator=gen)), u))
        frames += length + int(torch.randint(0, 3, (1,), generator=gen))
        bounds.append((start, start + length))
    frames += 5
    logits = torch.randn((frames, UNITS), generator=gen) * 1.2
    logits[:, 0] += 5.0
    at = torch.tensor([t for t, _ in spikes])
    unit = torch.tensor([u for _, u in spikes])
    logits[at, unit] += 9.0
    logits[at, 0] -= 5.0
    return torch.log_softmax(logits, dim=1).float(), bounds


def load(posteriors, words_file, units):
    raw = torch.from_file(posteriors, dtype=torch.float32, size=os.path.getsize(posteriors) // 4)
    with open(words_file) as f:
        words = json.load(f)
    words = [w["units"] if isinstance(w, dict) else w for w in words]
    return raw.view(-1, units), words


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    fx = sub.add_parser("make-fixtures")
    fx.add_argument("out")
    lg = sub.add_parser("make-long")
    lg.add_argument("out")
    lg.add_argument("--minutes", type=float, default=60)
    lg.add_argument("--seed", type=int, default=1)
    for name in ("align", "bench"):
        p = sub.add_parser(name)
        p.add_argument("posteriors")
        p.add_argument("words", help="JSON list of unit-id lists (or of {units: [...]})")
        p.add_argument("--units", type=int, default=UNITS)
        p.add_argument("--garbage", type=float, default=None)
        p.add_argument("--band", action="store_true", help="banded search instead of the full one")
        p.add_argument("--beam", type=float, default=float("inf"))
        p.add_argument("--max-active", type=int, default=2000)
        p.add_argument("--path-out")
    args = parser.parse_args()
    if args.command == "make-fixtures":
        make_fixtures(args.out)
        return
    if args.command == "make-long":
        make_long(args.out, args.minutes, args.seed)
        return
    torch.set_num_threads(int(os.environ.get("THREADS", "2")))
    logp, words = load(args.posteriors, args.words, args.units)
    began = time.perf_counter()
    if not args.band:
        path = viterbi_full(logp, words, args.garbage)
    else:
        path = viterbi_banded(logp, words, args.garbage, args.beam, args.max_active)
    seconds = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.path_out and path is not None:
        with open(args.path_out, "w") as f:
            json.dump(path, f)
    print(json.dumps({"frames": logp.shape[0], "words": len(words), "seconds": round(seconds, 2),
                      "peak_rss_mb": round(peak_mb), "aligned": path is not None}))


if __name__ == "__main__":
    main()
