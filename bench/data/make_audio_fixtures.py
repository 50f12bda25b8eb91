#!/usr/bin/python3
"""Makes the audio parity fixtures with Debian's python3-torch / python3-torchaudio (the reference implementation).

Run:  /usr/bin/python3 bench/data/make_audio_fixtures.py
Writes tests/DgTools.Tests/Fixtures/Audio/:
  speechlike_{8k,44k,16k}.wav   deterministic speech-like test signals (16-bit PCM), made here
  speechlike_{8k,44k}.to16k.f32 torchaudio.functional.resample(x, rate, 16000) with its defaults, float32 LE
  speechlike_16k.fbank.f32      torchaudio.compliance.kaldi.fbank(x, num_mel_bins=80, dither=0) computed in float64,
                                frames x 80, stored float32 LE; .fbank32.f32 the same computed in float32
  speechlike_8k.fbank.f32       the same on the torchaudio-resampled 8 kHz signal (the whole 8 kHz -> features path)
  tone.{mp3,ogg,flac,opus,m4a}  a 0.5 s 440 Hz tone in stereo through ffmpeg's encoders (decoder tests)
"""
import math, os, subprocess, wave
import torch, torchaudio

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "DgTools.Tests", "Fixtures", "Audio")


def speechlike(rate, seconds, seed):
    """Voiced vowel-like sound with a gliding pitch, formant-shaped harmonics, a noise burst (a fricative), a
    high chirp that must be filtered out when downsampling, and a stretch of digital silence."""
    g = torch.Generator().manual_seed(seed)
    n = int(rate * seconds)
    t = torch.arange(n, dtype=torch.float64) / rate
    f0 = 110 + 60 * t / seconds
    phase = 2 * math.pi * torch.cumsum(f0, 0) / rate
    x = torch.zeros(n, dtype=torch.float64)
    for h in range(1, 40):
        fh = h * f0
        amp = sum(math.exp(-((h * 140 - fm) / bw) ** 2) for fm, bw in ((700, 300), (1200, 400), (2600, 600))) / h ** 0.5
        x += amp * torch.sin(h * phase) * (fh < rate / 2)
    x = x / x.abs().max() * 0.5
    burst = (t > 0.55 * seconds) & (t < 0.7 * seconds)
    x[burst] += 0.15 * torch.randn(int(burst.sum()), generator=g, dtype=torch.float64)
    chirp_f = 3000 + (rate / 2 - 3000) * t / seconds
    x += 0.05 * torch.sin(2 * math.pi * torch.cumsum(chirp_f, 0) / rate)
    x[int(0.85 * n):int(0.92 * n)] = 0.0
    return torch.round(x.clamp(-1, 1) * 32767).to(torch.int16)


def write_wav(path, pcm, rate, channels=1):
    with wave.open(path, "wb") as w:
        w.setnchannels(channels); w.setsampwidth(2); w.setframerate(rate)
        w.writeframes(pcm.numpy().tobytes())


def as_float(pcm):
    return (pcm.to(torch.float32) / 32768.0).unsqueeze(0)


def fbank(x16k):
    return torchaudio.compliance.kaldi.fbank(x16k, num_mel_bins=80, dither=0.0, sample_frequency=16000)


def main():
    os.makedirs(OUT, exist_ok=True)
    for rate, name, seed in ((8000, "8k", 1), (44100, "44k", 2), (16000, "16k", 3)):
        pcm = speechlike(rate, 1.0, seed)
        write_wav(os.path.join(OUT, f"speechlike_{name}.wav"), pcm, rate)
        x = as_float(pcm)
        if rate != 16000:
            y = torchaudio.functional.resample(x, rate, 16000)
            y[0].numpy().astype("<f4").tofile(os.path.join(OUT, f"speechlike_{name}.to16k.f32"))
        else:
            y = x
        if name in ("16k", "8k"):
            # The reference computed in float64 (torchaudio's own float32 run differs from it by up to ~1.1e-3
            # in near-silent frames, where energies sit near the 1.2e-7 floor), and the float32 run itself.
            fb = fbank(y.double())
            fb.numpy().astype("<f4").tofile(os.path.join(OUT, f"speechlike_{name}.fbank.f32"))
            fb32 = fbank(y)
            fb32.numpy().astype("<f4").tofile(os.path.join(OUT, f"speechlike_{name}.fbank32.f32"))
            print(name, "fbank", tuple(fb.shape), "float32 vs float64 max abs", (fb32.double() - fb).abs().max().item())
    # Compressed-format fixtures: a stereo 440 Hz tone, 0.5 s at 22050 Hz, through ffmpeg's encoders.
    t = torch.arange(11025) / 22050.0
    tone = torch.round(0.4 * torch.sin(2 * math.pi * 440 * t) * 32767).to(torch.int16)
    stereo = torch.stack([tone, tone], 1).reshape(-1)
    src = os.path.join(OUT, "tone_source.wav")
    write_wav(src, stereo, 22050, channels=2)
    for ext, codec in (("mp3", ["-c:a", "libmp3lame", "-b:a", "64k"]), ("ogg", ["-c:a", "libvorbis", "-q:a", "2"]),
                       ("flac", ["-c:a", "flac"]), ("opus", ["-c:a", "libopus", "-b:a", "24k"]),
                       ("m4a", ["-c:a", "aac", "-b:a", "48k"])):
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", src, *codec, "-map_metadata", "-1",
                        os.path.join(OUT, f"tone.{ext}")], check=True)
    os.remove(src)
    for f in sorted(os.listdir(OUT)):
        print(f, os.path.getsize(os.path.join(OUT, f)))


if __name__ == "__main__":
    main()
