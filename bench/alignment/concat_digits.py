#!/usr/bin/python3
# Writes N "sentences" of 1-6 spoken digits (fsdd-digits, one speaker, chosen takes) joined by short silences, as
# wav + txt pairs: training data for a tiny model that must hear digits in running speech (to align long recordings).
import argparse, random, wave
import numpy as np

NAMES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']

def read(path):
    with wave.open(path) as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)

p = argparse.ArgumentParser()
p.add_argument('digits'); p.add_argument('out'); p.add_argument('--count', type=int, default=150)
p.add_argument('--speaker', default='george'); p.add_argument('--takes', default='10-49'); p.add_argument('--seed', type=int, default=1)
a = p.parse_args()
lo, hi = map(int, a.takes.split('-'))
rnd = random.Random(a.seed)
silence = lambda s: np.zeros(int(s * 8000), dtype=np.int16)
for i in range(a.count):
    digits = [rnd.randint(0, 9) for _ in range(rnd.randint(1, 6))]
    parts = [silence(rnd.uniform(0.05, 0.4))]
    for d in digits:
        parts += [read(f'{a.digits}/{d}_{a.speaker}_{rnd.randint(lo, hi)}.wav'), silence(rnd.uniform(0.03, 0.3))]
    parts.append(silence(rnd.uniform(0.05, 0.4)))
    with wave.open(f'{a.out}/seq{i:03d}.wav', 'wb') as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000); w.writeframes(np.concatenate(parts).tobytes())
    with open(f'{a.out}/seq{i:03d}.txt', 'w') as f:
        f.write(' '.join(NAMES[d] for d in digits) + '\n')
