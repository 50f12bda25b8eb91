#!/usr/bin/python3
"""torchaudio.compliance.kaldi.fbank throughput on every WAV in a folder (the speed peer of DataBench fbank).
Usage: LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 bench/data/bench_fbank.py DIR --threads N"""
import argparse, glob, time, wave
import numpy as np, torch, torchaudio

ap = argparse.ArgumentParser()
ap.add_argument("dir"); ap.add_argument("--threads", type=int, default=1); ap.add_argument("--repeat", type=int, default=3)
ap.add_argument("--dump", help="write the fbank of the first 100 files (float32 run, concatenated) here for a parity check")
a = ap.parse_args()
torch.set_num_threads(a.threads)
audio = []
for path in sorted(glob.glob(a.dir + "/*.wav")):
    with wave.open(path) as w:
        rate = w.getframerate()
        x = torch.tensor(np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0)[None]
    audio.append(torchaudio.functional.resample(x, rate, 16000) if rate != 16000 else x)
seconds = sum(x.shape[1] for x in audio) / 16000.0
for x in audio[:200]:
    torchaudio.compliance.kaldi.fbank(x, num_mel_bins=80, dither=0.0)
if a.dump:
    # The 16 kHz input too, so the parity check can also compare the fbank alone on identical samples.
    with open(a.dump + ".audio", "wb") as f:
        for x in audio[:100]:
            np.array([x.shape[1]], dtype="<i4").tofile(f); x[0].numpy().astype("<f4").tofile(f)
    torch.cat([torchaudio.compliance.kaldi.fbank(x, num_mel_bins=80, dither=0.0) for x in audio[:100]]).numpy().astype("<f4").tofile(a.dump)
    torch.cat([torchaudio.compliance.kaldi.fbank(x.double(), num_mel_bins=80, dither=0.0) for x in audio[:100]]).numpy().astype("<f4").tofile(a.dump + ".float64")
best, best_cpu = float("inf"), float("inf")
with torch.inference_mode():
    for _ in range(a.repeat):
        t, c = time.perf_counter(), time.process_time()
        for x in audio:
            torchaudio.compliance.kaldi.fbank(x, num_mel_bins=80, dither=0.0)
        best, best_cpu = min(best, time.perf_counter() - t), min(best_cpu, time.process_time() - c)
print(f"torchaudio fbank: {len(audio)} files, {seconds:.1f} s of audio, {a.threads} thread(s): best {best:.3f} s wall = "
      f"{seconds / best:.0f} audio-s per wall-s; {best_cpu:.3f} s CPU = {seconds / best_cpu:.0f} audio-s per CPU-s")
