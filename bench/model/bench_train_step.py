#!/usr/bin/python3
"""Training-step time of the PyTorch reference Conformer-CTC (reference_conformer.py) on the same batch as
TrainStepBench: forward, CTC loss, backward, gradient clipping, AdamW. Run with OpenBLAS for a fair peer:
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 bench/model/bench_train_step.py [options]
"""
import argparse
import math
import statistics
import time

import torch
import torch.nn.functional as F

from reference_conformer import Config, ConformerCtc

p = argparse.ArgumentParser()
p.add_argument("--batch", type=int, default=16)
p.add_argument("--frames", type=int, default=600)
p.add_argument("--steps", type=int, default=8)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--subsampling", type=int, default=4)
p.add_argument("--head-upsampling", type=int, default=1)
p.add_argument("--layers", type=int, default=6)
p.add_argument("--d-model", type=int, default=144)
p.add_argument("--labels-per-second", type=int, default=12)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)
cfg = Config(subsampling=a.subsampling, head_upsampling=a.head_upsampling, num_layers=a.layers, d_model=a.d_model,
             feed_forward_dim=4 * a.d_model)
model = ConformerCtc(cfg).train()
labels = int(a.frames / 100.0 * a.labels_per_second)
i = torch.arange(a.frames * cfg.input_dim, dtype=torch.float64)
features = torch.stack([torch.sin(0.37 * i + b).float().view(a.frames, cfg.input_dim) for b in range(a.batch)])
targets = torch.tensor([[1 + (k * 7 + b) % (cfg.num_units - 1) for k in range(labels)] for b in range(a.batch)])
lengths = torch.full((a.batch,), a.frames, dtype=torch.int64)
target_lengths = torch.full((a.batch,), labels, dtype=torch.int64)
decay = [p for n, p in model.named_parameters() if p.dim() > 1]
other = [p for n, p in model.named_parameters() if p.dim() <= 1]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 1e-3}, {"params": other, "weight_decay": 0.0}],
                        lr=1e-4, betas=(0.9, 0.98), eps=1e-8)


def step():
    log_probs, out_lengths = model(features, lengths)
    loss = F.ctc_loss(log_probs.transpose(0, 1), targets, out_lengths, target_lengths, blank=0, zero_infinity=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    opt.step()
    opt.zero_grad()
    return loss.item()


step()
times, cpu = [], []
for _ in range(a.steps):
    t0, c0 = time.perf_counter(), time.process_time()
    step()
    times.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
params = sum(p.numel() for p in model.parameters())
blas = "openblas" if "openblas" in open("/proc/self/maps").read() else "default BLAS"
print(f"pytorch {torch.__version__} ({blas}) step: median {statistics.median(times):.3f} s over {a.steps} steps "
      f"(min {min(times):.3f}; CPU {statistics.median(cpu):.3f} s), batch {a.batch}x{a.frames} frames, {a.threads} threads, {params / 1e6:.2f} M params")
