"""Plans and synthesises a speech corpus in the dgtools data-set layout.

  plan:   python3 synth.py plan  LANG OUT_DIR --text TEXT_DIR --train N --valid N --test N [--seed S]
  work:   python3 synth.py work  OUT_DIR --worker K --workers W
  stats:  python3 synth.py stats OUT_DIR
  links:  python3 synth.py link-heldout OUT_DIR      (heldout/by-voice/<family>/: the test per voice family)

The plan is a manifest (OUT_DIR/manifests/jobs.tsv): one line per utterance with its data set, stem, voice,
speaking rate, pitch, augmentation and sentence.  Each utterance's choices come from its own random generator
seeded by (seed, part, index), so growing the corpus appends utterances without changing the existing ones.
Workers take every W-th job, skip what already exists, and write each file atomically (the .txt last, so a
.txt beside a .wav means the pair is complete).  Festival runs once per batch of utterances, not per sentence.
"""
import argparse
import collections
import glob
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atomic  # noqa: E402
import voices  # noqa: E402

SAMPLE_RATE = 16000
MAX_CHARS_PER_SECOND = 15.0  # character CTC at 25 output frames/s needs moderate speaking rates
TARGET_CHARS_PER_SECOND = 13.5
TRAIN_SET_SIZE = 1000  # utterances per general-NNN data set directory
# Probabilities and ranges of the sox augmentations. "mild" (the default) keeps about 55 % of the utterances free
# of reverb, noise, pitch shift and telephone band, since a small model trained from scratch on CPU converges
# slowly; "strong" is the first build's recipe (about 32 % free; noise down to ~10 dB SNR, large rooms).
AUGMENTATION = {
    "mild": {"speed": 0.3, "pitch": 0.1, "pitch_festival": 0.3, "pitch_cents": 150,
             "reverb": 0.15, "reverberance": (10, 50), "room_scale": (10, 60),
             "noise": 0.15, "noise_volume": (0.002, 0.015), "telephone": 0.05},
    "strong": {"speed": 0.35, "pitch": 0.15, "pitch_festival": 0.5, "pitch_cents": 250,
               "reverb": 0.3, "reverberance": (15, 70), "room_scale": (20, 100),
               "noise": 0.3, "noise_volume": (0.004, 0.04), "telephone": 0.1},
}
FIELDS = ["set", "stem", "engine", "voice", "rate", "pitch", "augment", "text"]


# ---------------------------------------------------------------- planning

def pick_voice(rng, catalogue):
    engine, name, _ = rng.choices(catalogue, weights=[w for _, _, w in catalogue])[0]
    return engine, name


def plan_one(rng, lang, part, sentence, catalogue, reserved_variants, strength="mild"):
    engine, name = pick_voice(rng, catalogue)
    if engine == "espeak" and not name.startswith("mb-") and "+" not in name:
        variants = [v for v in voices.ESPEAK_VARIANTS if v not in reserved_variants]
        name = f"{name}+{rng.choice(variants)}"
    rate = round(rng.uniform(0.85, 1.15), 3)    # relative speaking rate, 1 = the engine's comfortable default
    pitch = round(rng.uniform(0.85, 1.15), 3)   # relative pitch, applied by the engine where it can
    augment = {}
    if part != "test":
        # Augmentations are independent coin flips, so combinations occur naturally.
        a = AUGMENTATION[strength]
        if rng.random() < a["speed"]:
            augment["speed"] = round(rng.uniform(0.9, 1.1), 3)
        if engine == "festival" and rng.random() < a["pitch_festival"] or rng.random() < a["pitch"]:
            augment["pitch_cents"] = rng.randint(-a["pitch_cents"], a["pitch_cents"])
        if rng.random() < a["reverb"]:
            augment["reverb"] = [rng.randint(*a["reverberance"]), rng.randint(*a["room_scale"])]
        if rng.random() < a["noise"]:
            augment["noise"] = [rng.choice(["pinknoise", "brownnoise", "whitenoise"]),
                                round(rng.uniform(*a["noise_volume"]), 4)]
        if rng.random() < a["telephone"] and not (engine == "flite" and name == "kal"):
            augment["telephone"] = 1
        augment["gain_db"] = -rng.randint(1, 12)
    return {"engine": engine, "voice": name, "rate": rate, "pitch": pitch,
            "augment": json.dumps(augment, separators=(",", ":")), "text": sentence}


def plan(args):
    pools = {}
    for part in ("train", "valid", "test"):
        with open(os.path.join(args.text, f"{part}.txt"), encoding="utf-8") as f:
            pools[part] = [l.rstrip("\n") for l in f if l.strip()]
    lang = args.lang
    reserved_variants = {n.split("+")[1] for e, n, _ in voices.RESERVED[lang] if "+" in n}
    jobs = []
    for part, count, catalogue in (("train", args.train, voices.TRAIN[lang]),
                                   ("valid", args.valid, voices.TRAIN[lang]),
                                   ("test", args.test, voices.RESERVED[lang])):
        pool = pools[part]
        if part != "train" and count > len(pool):
            print(f"synth plan: only {len(pool)} {part} sentences; making {len(pool)} {part} utterances, not {count}")
            count = len(pool)
        for i in range(count):
            rng = random.Random(f"{args.seed}:{lang}:{part}:{i}")
            job = plan_one(rng, lang, part, pool[i % len(pool)], catalogue, reserved_variants, args.augment)
            if part == "train":
                job["set"] = f"dgdatasets/general-{i // TRAIN_SET_SIZE:03d}"
                job["stem"] = f"{lang}-g{i:06d}"
            elif part == "valid":
                job["set"], job["stem"] = "dgdatasets/general-validate", f"{lang}-v{i:05d}"
            else:
                job["set"], job["stem"] = "heldout/reserved-voices", f"{lang}-t{i:05d}"
            jobs.append(job)
    os.makedirs(os.path.join(args.out_dir, "manifests"), exist_ok=True)
    atomic.write_text(os.path.join(args.out_dir, "manifests", "jobs.tsv"),
                      "\t".join(FIELDS) + "\n" + "".join("\t".join(str(j[f]) for f in FIELDS) + "\n" for j in jobs))
    # The validation set is forced into validation by the guide's mechanism.
    valid_dir = os.path.join(args.out_dir, "dgdatasets", "general-validate")
    os.makedirs(valid_dir, exist_ok=True)
    atomic.write_text(os.path.join(valid_dir, "keep_validate.lst"),
                      "# general-domain validation: training voices, sentences not in the training text\n"
                      + "".join(j["stem"] + "\n" for j in jobs if j["set"].endswith("general-validate")))
    counts = collections.Counter(j["stem"].split("-")[1][0] for j in jobs)  # g(eneral), v(alid), t(est)
    print(f"synth plan {lang}: {counts['g']} train, {counts['v']} valid, {counts['t']} test utterances")


# ---------------------------------------------------------------- engines

def run(cmd, **kwargs):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)


def synth_espeak(job, out):
    rate = job["rate"]
    wpm = int((150 if job["voice"].startswith("mb-") else 160) * rate)
    pitch = max(0, min(99, int(50 * job["pitch"])))
    run(["espeak-ng", "-v", job["voice"], "-s", str(wpm), "-p", str(pitch), "-w", out, job["text"]])


FLITE_PITCH = {"kal16": 105, "kal": 105, "awb": 110, "rms": 100, "slt": 170}


def synth_flite(job, out):
    stretch = 1.15 / job["rate"]
    f0 = FLITE_PITCH.get(job["voice"], 110) * job["pitch"]
    run(["flite", "-voice", job["voice"], "-t", job["text"], "-o", out,
         "--setf", f"duration_stretch={stretch:.3f}", "--setf", f"int_f0_target_mean={f0:.0f}"])


def synth_pico(job, out):
    speed = int(90 * job["rate"])
    pitch = int(100 * job["pitch"])
    text = f'<speed level="{speed}"><pitch level="{pitch}">{job["text"]}</pitch></speed>'
    run(["pico2wave", "-l", job["voice"], "-w", out, text])


def scheme_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def synth_festival_batch(batch, work_dir):
    """All of one worker's festival utterances of a chunk in one festival process (loading is the slow part)."""
    lines = []
    for voice in sorted({job["voice"] for job, _ in batch}):
        lines.append(f"(voice_{voice})")
        for job, out in batch:
            if job["voice"] != voice:
                continue
            lines.append(f"(Parameter.set 'Duration_Stretch {1.12 / job['rate']:.3f})")
            lines.append(f"(set! u (Utterance Text {scheme_string(job['text'])}))")
            lines.append("(utt.synth u)")
            lines.append(f"(utt.save.wave u {scheme_string(out)} 'riff)")
    script = os.path.join(work_dir, "batch.scm")
    with open(script, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    subprocess.run(["festival", "-b", script], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


ENGINES = {"espeak": synth_espeak, "flite": synth_flite, "pico": synth_pico}


# ---------------------------------------------------------------- sox post-processing

def wav_seconds(path):
    with wave.open(path, "rb") as w:
        return w.getnframes() / w.getframerate()


def postprocess(job, raw, out_wav, rng, pad=(0.1, 0.35)):
    """Trims silence, brings the speaking rate into range, augments, and writes 16 kHz mono 16-bit."""
    augment = json.loads(job["augment"])
    raw_seconds = wav_seconds(raw)
    if raw_seconds < 0.5:
        raise RuntimeError(f"engine produced {raw_seconds:.2f} s")
    effects = ["remix", "-", "silence", "1", "0.03", "0.2%", "reverse", "silence", "1", "0.03", "0.2%", "reverse"]
    speed = augment.get("speed", 1.0)
    cps = len(job["text"]) / max(raw_seconds - 0.3, 0.5) * speed
    if cps > MAX_CHARS_PER_SECOND:
        effects += ["tempo", "-s", f"{TARGET_CHARS_PER_SECOND / cps:.3f}"]
    if "speed" in augment:
        effects += ["speed", str(speed)]
    if "pitch_cents" in augment:
        effects += ["pitch", str(augment["pitch_cents"])]
    if augment.get("telephone"):
        effects += ["rate", "8000", "highpass", "300", "lowpass", "3400"]
    effects += ["rate", str(SAMPLE_RATE)]
    if "reverb" in augment:
        reverberance, room = augment["reverb"]
        effects += ["reverb", str(reverberance), "50", str(room)]
    effects += ["pad", f"{rng.uniform(*pad):.2f}", f"{rng.uniform(*pad):.2f}"]
    # With noise coming, normalise first so the noise volume sets the signal-to-noise ratio (about 10-30 dB).
    effects += ["gain", "-n", str(-3 if "noise" in augment else augment.get("gain_db", -3))]
    staged = atomic.temp_path(out_wav)
    run(["sox", "-R", "-V1", raw, "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", "-e", "signed-integer", staged] + effects)
    if "noise" in augment:
        kind, volume = augment["noise"]
        seconds = wav_seconds(staged)
        noisy = atomic.temp_path(out_wav + ".n.wav")
        noise = f"|sox -R -V1 -n -r {SAMPLE_RATE} -c 1 -b 16 -p synth {seconds:.3f} {kind}"
        run(["sox", "-R", "-V1", "-m", "-v", "1", staged, "-v", str(volume), noise,
             "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", "-e", "signed-integer", noisy,
             "trim", "0", f"{seconds:.3f}", "gain", "-n", str(augment.get("gain_db", -3))])
        os.replace(noisy, staged)
    os.replace(staged, out_wav)


# ---------------------------------------------------------------- workers

def read_jobs(out_dir):
    with open(os.path.join(out_dir, "manifests", "jobs.tsv"), encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        jobs = [dict(zip(header, l.rstrip("\n").split("\t"))) for l in f if l.strip()]
    for j in jobs:
        j["rate"], j["pitch"] = float(j["rate"]), float(j["pitch"])
    return jobs


def done(out_dir, job):
    base = os.path.join(out_dir, job["set"], job["stem"])
    return os.path.exists(base + ".txt") and os.path.exists(base + ".wav")


def work(args):
    jobs = [j for i, j in enumerate(read_jobs(args.out_dir)) if i % args.workers == args.worker]
    pending = [j for j in jobs if not done(args.out_dir, j)]
    # Leftovers of an interrupted run (atomic writes never leave them in place of a file); only this worker's.
    mine = {j["stem"] for j in jobs}
    for set_dir in {os.path.join(args.out_dir, j["set"]) for j in jobs}:
        for stale in glob.glob(os.path.join(glob.escape(set_dir), "*.tmp*")):
            if os.path.basename(stale).split(".")[0] in mine:
                os.remove(stale)
    log_path = os.path.join(args.out_dir, "manifests", f"worker{args.worker}.log")
    log = open(log_path, "a", encoding="utf-8")
    started, produced_seconds, failures = time.time(), 0.0, 0
    print(f"worker {args.worker}: {len(pending)} of {len(jobs)} utterances to make", file=log, flush=True)
    chunk_size = 100
    for start in range(0, len(pending), chunk_size):
        chunk = pending[start:start + chunk_size]
        work_dir = tempfile.mkdtemp(prefix=f"dgcorpus{args.worker}-")
        try:
            raws, festival_batch = {}, []
            for job in chunk:
                raw = os.path.join(work_dir, job["stem"] + ".raw.wav")
                raws[job["stem"]] = raw
                if job["engine"] == "festival":
                    festival_batch.append((job, raw))
                    continue
                try:
                    ENGINES[job["engine"]](job, raw)
                except subprocess.CalledProcessError as e:
                    print(f"{job['stem']}: {job['engine']} failed: {e.stderr.decode(errors='ignore')[:200]}",
                          file=log, flush=True)
            if festival_batch:
                synth_festival_batch(festival_batch, work_dir)
            for job in chunk:
                raw = raws[job["stem"]]
                set_dir = os.path.join(args.out_dir, job["set"])
                os.makedirs(set_dir, exist_ok=True)
                base = os.path.join(set_dir, job["stem"])
                try:
                    if not os.path.exists(raw):
                        raise RuntimeError("engine wrote no audio")
                    rng = random.Random(f"post:{job['stem']}")
                    postprocess(job, raw, base + ".wav", rng, (args.pad_min, args.pad_max))
                    atomic.write_text(base + ".txt", job["text"] + "\n")
                    produced_seconds += wav_seconds(base + ".wav")
                except (RuntimeError, subprocess.CalledProcessError, wave.Error, EOFError) as e:
                    failures += 1
                    detail = e.stderr.decode(errors="ignore")[:200] if isinstance(e, subprocess.CalledProcessError) else e
                    print(f"{job['stem']} ({job['engine']} {job['voice']}): {detail}", file=log, flush=True)
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)
        elapsed = time.time() - started
        print(f"worker {args.worker}: {start + len(chunk)}/{len(pending)} done, {produced_seconds / 3600:.3f} h audio "
              f"in {elapsed:.0f} s ({produced_seconds / max(elapsed, 1e-9):.1f}x real time), {failures} failed",
              file=log, flush=True)
    log.close()


def voice_family(job):
    """Groups held-out voices for per-family results: e.g. pico-en-GB, festival-rab_diphone, mbrola-accented."""
    voice = job["voice"].split("+")[0]
    if job["engine"] == "espeak" and voice.startswith("mb-") and voice.endswith("-en"):
        return "mbrola-accented"
    return f"{job['engine']}-{voice}"


def link_heldout(args):
    """heldout/by-voice/<family>/ holds hard links to the held-out test per voice family (no extra disk)."""
    for job in read_jobs(args.out_dir):
        if not job["set"].startswith("heldout/") or not done(args.out_dir, job):
            continue
        family_dir = os.path.join(args.out_dir, "heldout", "by-voice", voice_family(job))
        os.makedirs(family_dir, exist_ok=True)
        for ext in (".wav", ".txt"):
            source = os.path.join(args.out_dir, job["set"], job["stem"] + ext)
            target = os.path.join(family_dir, job["stem"] + ext)
            if not os.path.exists(target):
                os.link(source, target)


def stats(args):
    from collections import Counter
    jobs = read_jobs(args.out_dir)
    by_part, voices_used, per_utt = Counter(), {}, {}
    for job in jobs:
        wav = os.path.join(args.out_dir, job["set"], job["stem"] + ".wav")
        if not done(args.out_dir, job):
            continue
        part = job["set"].split("/")[-1]
        part = "train" if part.startswith("general-0") else part
        seconds = wav_seconds(wav)
        by_part[part, "seconds"] += seconds
        by_part[part, "count"] += 1
        by_part[part, "chars"] += len(job["text"])
        per_utt.setdefault(part, []).append((seconds, len(job["text"]) / seconds))
        voices_used.setdefault(part, Counter())[f"{job['engine']}:{job['voice'].split('+')[0]}"] += 1
    leaked = sum(1 for j in jobs if not j["set"].startswith("heldout/")
                 and voices.is_reserved_name(j["engine"], j["voice"].split("+")[0]))
    print(f"reserved voices outside heldout/: {leaked} utterances")
    for part in sorted({p for p, _ in by_part}):
        s, n, c = by_part[part, "seconds"], by_part[part, "count"], by_part[part, "chars"]
        print(f"{part}: {n} utterances, {s / 3600:.2f} h, mean {s / max(n, 1):.2f} s, {c / max(s, 1e-9):.1f} chars/s, "
              f"{len(voices_used[part])} voices")
        durations = sorted(d for d, _ in per_utt[part])
        rates = sorted(r for _, r in per_utt[part])
        q = lambda xs, f: xs[min(len(xs) - 1, int(f * len(xs)))]  # noqa: E731
        print(f"   duration p5/p50/p95 {q(durations, .05):.1f}/{q(durations, .5):.1f}/{q(durations, .95):.1f} s; "
              f"chars/s p50/p95/max {q(rates, .5):.1f}/{q(rates, .95):.1f}/{rates[-1]:.1f}")
        print("   " + ", ".join(f"{v} {k}" for v, k in sorted(voices_used[part].items())))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("plan")
    p.add_argument("lang")
    p.add_argument("out_dir")
    p.add_argument("--text", required=True)
    p.add_argument("--train", type=int, required=True)
    p.add_argument("--valid", type=int, required=True)
    p.add_argument("--test", type=int, required=True)
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--augment", choices=sorted(AUGMENTATION), default="mild")
    w = sub.add_parser("work")
    w.add_argument("out_dir")
    w.add_argument("--worker", type=int, required=True)
    w.add_argument("--workers", type=int, required=True)
    w.add_argument("--pad-min", type=float, default=0.1, help="seconds of silence added at each end, at least")
    w.add_argument("--pad-max", type=float, default=0.35)
    s = sub.add_parser("stats")
    s.add_argument("out_dir")
    h = sub.add_parser("link-heldout")
    h.add_argument("out_dir")
    args = parser.parse_args()
    {"plan": plan, "work": work, "stats": stats, "link-heldout": link_heldout}[args.command](args)


if __name__ == "__main__":
    main()
