#!/usr/bin/env python3
"""Simulates the `dgtools suggest` loop on a data set whose transcripts are known.

The pool's transcripts are hidden (its audio is linked without .txt), `dgtools suggest MODEL --hours M/60` picks
M minutes of recordings (or `--count N` with --counts), and MODEL is custom-trained (`dgtools autotrain`, short:
--revisit-count, one thread, --autotrain-args for the rest of the budget) on the picks with their transcripts; the
same is done with random picks of the same audio duration. Each model's WER is measured on a held-out part
(`dgtools evaluate --split all`). One CSV row per run: data set, arm, amount (N or M), seed, picks, seconds, WER, CER.

  bench/suggest/simulate.py --dgtools PATH --model DIR/general-en.dg --pool DIR --heldout DIR --name NAME \
      --minutes 0.5,1,2 --seeds 1,2,3 --revisit 4 --autotrain-args "--replay-fraction 0.5" --work /tmp/sim --csv results.csv

MODEL's directory may hold MODEL's .replay and .guard (autotrain finds them beside the model). The pool and held-out
directories hold <stem>.wav + <stem>.txt pairs. Resumable: a run whose row is in the CSV is skipped.
"""
import argparse, csv, json, os, random, subprocess, sys, wave


def seconds(path):
    with wave.open(path) as w:
        return w.getnframes() / w.getframerate()


def pairs(directory):
    stems = sorted(f[:-4] for f in os.listdir(directory) if f.endswith(".wav") and os.path.exists(os.path.join(directory, f[:-4] + ".txt")))
    return [(s, os.path.realpath(os.path.join(directory, s + ".wav")), os.path.realpath(os.path.join(directory, s + ".txt"))) for s in stems]


def run(cmd, cwd, env):
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return r.stdout


def confidence(m):
    c = m.get("confidence") or {}
    return f"{c.get('ece', float('nan')):.4f},{(c.get('auroc') or float('nan')):.4f}"


def random_of_duration(pool, target, seed):
    """Random recordings, in a seeded order, added while that brings the total closer to the target duration."""
    order = pool[:]
    random.Random(seed).shuffle(order)
    chosen, total = [], 0.0
    for p in order:
        if abs(total + p[3] - target) < abs(total - target):
            chosen.append(p)
            total += p[3]
    return chosen


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--dgtools", required=True)
    a.add_argument("--model", required=True)
    a.add_argument("--pool", required=True)
    a.add_argument("--heldout", required=True)
    a.add_argument("--name", required=True)
    a.add_argument("--counts", default="", help="amounts as numbers of recordings (suggest --count)")
    a.add_argument("--minutes", default="", help="amounts as minutes of audio (suggest --hours)")
    a.add_argument("--autotrain-args", default="", help="more autotrain options (the training budget), split on spaces")
    a.add_argument("--seeds", default="1,2,3")
    a.add_argument("--revisit", default="10")
    a.add_argument("--work", required=True)
    a.add_argument("--csv", required=True)
    o = a.parse_args()
    env = dict(os.environ, OMP_NUM_THREADS="1")
    pool = [(s, w, t, seconds(w)) for s, w, t in pairs(o.pool)]
    done = set()
    if os.path.exists(o.csv):
        with open(o.csv) as f:
            done = {(r["dataset"], r["arm"], r["count"], r["seed"]) for r in csv.DictReader(f)}
    else:
        with open(o.csv, "w") as f:
            # count: N recordings or M minutes; ece, auroc: the trained model's word confidences on the held-out part
            f.write("dataset,arm,count,seed,picks,seconds,wer,cer,ece,auroc\n")

    # The pool without transcripts: what suggest sees.
    untranscribed = os.path.join(o.work, "untranscribed", "dgdatasets", "pool")
    os.makedirs(untranscribed, exist_ok=True)
    for s, w, _, _ in pool:
        link = os.path.join(untranscribed, s + ".wav")
        if not os.path.lexists(link):
            os.symlink(w, link)

    # The starting model on the held-out part: where both arms start from.
    if (o.name, "none", "0", "0") not in done:
        out = run([o.dgtools, "evaluate", o.model, "--dataset-locations", o.heldout, "--split", "all", "--json", "--threads", "1"],
                  o.work, dict(env, DGTOOLS_RESOURCE_DIR=os.path.join(o.work, "eval-res")))
        m = json.loads(out)["models"][0]
        with open(o.csv, "a") as f:
            f.write(f"{o.name},none,0,0,0,0,{m['wer']:.4f},{m['cer']:.4f},{confidence(m)}\n")

    amounts = [("--count", c, c) for c in o.counts.split(",") if c] + \
              [("--hours", f"{float(m) / 60:.6f}", m) for m in o.minutes.split(",") if m]
    for flag, value, count in amounts:
        picks_file = os.path.join(o.work, f"suggested-{count}.lst")
        if not os.path.exists(picks_file):
            run([o.dgtools, "suggest", o.model, "--dataset-locations", untranscribed, flag, value, "--threads", "1", "-o", picks_file],
                o.work, dict(env, DGTOOLS_RESOURCE_DIR=os.path.join(o.work, "untranscribed")))
        by_audio = {os.path.realpath(os.path.join(untranscribed, p[0] + ".wav")): p for p in pool}
        suggested = [by_audio[os.path.realpath(line.strip())] for line in open(picks_file) if line.strip()]
        target = sum(p[3] for p in suggested)
        for seed in [int(s) for s in o.seeds.split(",")]:
            for arm, chosen in (("suggest", suggested), ("random", random_of_duration(pool, target, 1000 + seed))):
                if (o.name, arm, str(count), str(seed)) in done:
                    continue
                run_dir = os.path.join(o.work, f"{arm}-{count}-{seed}")
                data = os.path.join(run_dir, "res", "dgdatasets", "picked")
                os.makedirs(data, exist_ok=True)
                for s, w, t, _ in chosen:
                    for src, ext in ((w, ".wav"), (t, ".txt")):
                        link = os.path.join(data, s + ext)
                        if not os.path.lexists(link):
                            os.symlink(src, link)
                renv = dict(env, DGTOOLS_RESOURCE_DIR=os.path.join(run_dir, "res"))
                stem = os.path.splitext(os.path.basename(o.model))[0]
                for ext in (".dg", ".replay", ".guard"):
                    src = os.path.join(os.path.dirname(os.path.abspath(o.model)), stem + ext)
                    link = os.path.join(run_dir, stem + ext)
                    if os.path.exists(src) and not os.path.lexists(link):
                        os.symlink(src, link)
                run([o.dgtools, "autotrain", stem + ".dg", "--revisit-count", o.revisit, "--threads", "1", "--seed", str(seed)]
                    + o.autotrain_args.split(), run_dir, renv)
                out = run([o.dgtools, "evaluate", stem + ".last.dg", "--dataset-locations", o.heldout, "--split", "all", "--json", "--threads", "1"],
                          run_dir, dict(env, DGTOOLS_RESOURCE_DIR=os.path.join(run_dir, "eval-res")))
                m = json.loads(out)["models"][0]
                with open(o.csv, "a") as f:
                    f.write(f"{o.name},{arm},{count},{seed},{len(chosen)},{sum(p[3] for p in chosen):.1f},{m['wer']:.4f},{m['cer']:.4f},{confidence(m)}\n")
                print(f"{o.name} {arm} N={count} seed={seed}: {len(chosen)} picks, {sum(p[3] for p in chosen):.1f} s, WER {m['wer']:.3f}", flush=True)


if __name__ == "__main__":
    main()
