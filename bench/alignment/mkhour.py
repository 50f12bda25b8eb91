#!/usr/bin/python3
# One long recording of real spoken digits (FSDD george, takes 1-9) for the end-to-end alignment measurements in
# docs/benchmarks.md: usage mkhour.py OUT_STEM MINUTES (writes OUT_STEM.wav, 8 kHz, and OUT_STEM.txt).
import wave, numpy as np, random, sys
import os
D=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'data', 'fsdd-digits')
names=['zero','one','two','three','four','five','six','seven','eight','nine']
rnd=random.Random(1); minutes=float(sys.argv[2])
cache={}
def read(p):
    if p not in cache:
        w=wave.open(p); cache[p]=np.frombuffer(w.readframes(w.getnframes()),dtype=np.int16)
    return cache[p]
sil=lambda s: np.zeros(int(s*8000),dtype=np.int16)
out=[sil(0.3)]; n=int(0.3*8000); words=[]
while n < minutes*60*8000:
    ds=[rnd.randint(0,9) for _ in range(rnd.randint(3,5))]
    for d in ds:
        a=read(f'{D}/{d}_george_{rnd.randint(1,9)}.wav'); s=sil(rnd.uniform(0.05,0.25)); out+= [a,s]; n+=len(a)+len(s)
    s=sil(rnd.uniform(0.5,1.0)); out.append(s); n+=len(s)
    words+= [names[d] for d in ds]
w=wave.open(sys.argv[1]+'.wav','wb'); w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000); w.writeframes(np.concatenate(out).tobytes()); w.close()
open(sys.argv[1]+'.txt','w').write(' '.join(words)+'\n')
print(n/8000/60, 'min', len(words), 'words')
