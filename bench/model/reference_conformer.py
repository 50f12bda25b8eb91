#!/usr/bin/python3
"""PyTorch reference of dgtools' Conformer-CTC (src/DgTools/Model/ConformerCtc.cs): same tensor names, same math.

Run with Debian's python3-torch 1.13:
  /usr/bin/python3 bench/model/reference_conformer.py fixture OUTDIR
      writes parity fixtures for the C# parity test: NAME.dg (weights, a real .dg file) and NAME.io.safetensors
      (a padded input and the expected log-probabilities)
  /usr/bin/python3 bench/model/reference_conformer.py check MODEL.dg IO.safetensors
      loads a .dg written by dgtools, runs the input and prints the largest difference to the log-probs stored there
The training-step benchmark lives in bench_train_step.py and imports this file.
"""
import json
import math
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Config:
    def __init__(self, **kw):
        kw = {k: v for k, v in kw.items() if k != "output_frames_per_second"}
        self.input_dim = 80
        self.num_units = 32
        self.d_model = 144
        self.num_layers = 6
        self.num_heads = 4
        self.feed_forward_dim = 576
        self.conv_kernel = 15
        self.subsampling = 4
        self.dropout = 0.1
        self.subsampling_channels = 128
        self.head_upsampling = 1
        for k, v in kw.items():
            assert hasattr(self, k), k
            setattr(self, k, v)


def halve(lengths):
    return torch.div(lengths + 1, 2, rounding_mode="floor")


def time_mask(lengths, frames):
    return torch.arange(frames)[None, :] < lengths[:, None]


class SubsamplingStage(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.depthwise = nn.Conv2d(c, c, 3, stride=2, padding=1, groups=c)
        self.pointwise = nn.Conv2d(c, c, 1)

    def forward(self, x):
        return F.relu(self.pointwise(self.depthwise(x)))


class ConvSubsampling(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c = cfg.subsampling_channels
        self.conv0 = nn.Conv2d(1, c, 3, stride=2, padding=1)
        freq = (cfg.input_dim + 1) // 2
        stages = []
        factor = 4
        while factor <= cfg.subsampling:
            stages.append(SubsamplingStage(c))
            freq = (freq + 1) // 2
            factor *= 2
        self.stages = nn.ModuleList(stages)
        self.proj = nn.Linear(c * freq, cfg.d_model)

    def forward(self, features, lengths):
        x = features.unsqueeze(1)
        lengths = halve(lengths)
        x = F.relu(self.conv0(x))
        x = x * time_mask(lengths, x.shape[2]).float()[:, None, :, None]
        for stage in self.stages:
            lengths = halve(lengths)
            x = stage(x)
            x = x * time_mask(lengths, x.shape[2]).float()[:, None, :, None]
        b, c, t, f = x.shape
        return self.proj(x.permute(0, 2, 1, 3).reshape(b, t, c * f))


class FeedForward(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.norm = nn.LayerNorm(cfg.d_model)
        self.linear1 = nn.Linear(cfg.d_model, cfg.feed_forward_dim)
        self.linear2 = nn.Linear(cfg.feed_forward_dim, cfg.d_model)
        self.dropout = nn.Dropout(cfg.dropout)

    def forward(self, x):
        return self.dropout(self.linear2(self.dropout(F.silu(self.linear1(self.norm(x))))))


def rotary_tables(frames, head_dim):
    exponents = torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim
    inv_freq = 1.0 / torch.pow(torch.tensor(10000.0), exponents)
    angles = torch.arange(frames, dtype=torch.float32)[:, None] * inv_freq[None, :]
    angles = torch.cat([angles, angles], 1)
    return angles.cos(), angles.sin()


def rotate(x, cos, sin):
    half = x.shape[-1] // 2
    rotated = torch.cat([-x[..., half:], x[..., :half]], -1)
    return x * cos + rotated * sin


class RotarySelfAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.heads = cfg.num_heads
        self.norm = nn.LayerNorm(cfg.d_model)
        self.in_proj = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.out_proj = nn.Linear(cfg.d_model, cfg.d_model)
        self.dropout = nn.Dropout(cfg.dropout)

    def forward(self, x, valid):
        b, t, d = x.shape
        hd = d // self.heads
        qkv = self.in_proj(self.norm(x)).view(b, t, 3, self.heads, hd).permute(2, 0, 3, 1, 4)
        cos, sin = rotary_tables(t, hd)
        q, k, v = rotate(qkv[0], cos, sin), rotate(qkv[1], cos, sin), qkv[2]
        scores = q @ k.transpose(-1, -2) / math.sqrt(hd)
        scores = scores.masked_fill(~valid[:, None, None, :], float("-inf"))
        attended = scores.softmax(-1) @ v
        return self.dropout(self.out_proj(attended.transpose(1, 2).reshape(b, t, d)))


class ConvolutionModule(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg.d_model
        self.norm = nn.LayerNorm(d)
        self.pointwise1 = nn.Linear(d, 2 * d)
        self.depthwise = nn.Conv1d(d, d, cfg.conv_kernel, padding=cfg.conv_kernel // 2, groups=d)
        self.depthwise_norm = nn.LayerNorm(d)
        self.pointwise2 = nn.Linear(d, d)
        self.dropout = nn.Dropout(cfg.dropout)

    def forward(self, x, valid):
        y = F.glu(self.pointwise1(self.norm(x)), dim=-1)
        y = y * valid[:, :, None].float()
        y = self.depthwise(y.transpose(1, 2)).transpose(1, 2)
        y = F.silu(self.depthwise_norm(y))
        return self.dropout(self.pointwise2(y))


class ConformerBlock(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.ff1 = FeedForward(cfg)
        self.attn = RotarySelfAttention(cfg)
        self.conv = ConvolutionModule(cfg)
        self.ff2 = FeedForward(cfg)
        self.norm_out = nn.LayerNorm(cfg.d_model)

    def forward(self, x, valid):
        x = x + 0.5 * self.ff1(x)
        x = x + self.attn(x, valid)
        x = x + self.conv(x, valid)
        x = x + 0.5 * self.ff2(x)
        return self.norm_out(x)


class ConformerCtc(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.subsampling = ConvSubsampling(cfg)
        self.input_dropout = nn.Dropout(cfg.dropout)
        self.layers = nn.ModuleList([ConformerBlock(cfg) for _ in range(cfg.num_layers)])
        self.ctc_head = nn.Linear(cfg.d_model, cfg.head_upsampling * cfg.num_units)

    def forward(self, features, lengths):
        x = self.subsampling(features, lengths)
        factor = 2
        while factor <= self.cfg.subsampling:
            lengths = halve(lengths)
            factor *= 2
        valid = time_mask(lengths, x.shape[1])
        x = self.input_dropout(x)
        for layer in self.layers:
            x = layer(x, valid)
        logits = self.ctc_head(x).reshape(x.shape[0], x.shape[1] * self.cfg.head_upsampling, self.cfg.num_units)
        return logits.log_softmax(-1), lengths * self.cfg.head_upsampling


# --- a minimal safetensors reader/writer (8-byte little-endian header length, JSON header, raw little-endian data)
DTYPES = {"F32": (torch.float32, np.float32), "I64": (torch.int64, np.int64)}


def write_safetensors(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        dtype = {torch.float32: "F32", torch.int64: "I64"}[t.dtype]
        data = t.numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    out = {}
    for name, h in header.items():
        tdtype, npdtype = DTYPES[h["dtype"]]
        a, b = h["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype=npdtype).reshape(h["shape"]).copy())
    return out, meta


FIXTURE_CONFIGS = {
    # small enough for a < 1 MB fixture; exercises padding, both subsampling depths and the upsampling head
    "conformer-4x": dict(input_dim=80, num_units=12, d_model=32, num_layers=2, num_heads=4, feed_forward_dim=64, conv_kernel=7,
                         subsampling=4, subsampling_channels=8, head_upsampling=1, dropout=0.1),
    "conformer-8x": dict(input_dim=80, num_units=12, d_model=32, num_layers=2, num_heads=2, feed_forward_dim=48, conv_kernel=5,
                         subsampling=8, subsampling_channels=8, head_upsampling=2, dropout=0.1),
}


def dg_metadata(kw):
    model = {"name": "parity", "uuid": "00000000-0000-0000-0000-000000000001", "version": "2026-01-01", "tags": [],
             "languages": ["en"], "trainable": True, "deployable": False, "architecture": kw,
             "units": ["<blank>"] + [chr(ord("a") + i) for i in range(kw["num_units"] - 1)]}
    return {"dgtools.format": "1", "dgtools.model": json.dumps(model)}


def load_dg(path):
    tensors, meta = read_safetensors(path)
    arch = json.loads(meta["dgtools.model"])["architecture"]
    model = ConformerCtc(Config(**arch))
    model.load_state_dict(tensors)
    return model.eval()


def check(dg_path, io_path):
    model = load_dg(dg_path)
    io, _ = read_safetensors(io_path)
    with torch.no_grad():
        log_probs, lengths = model(io["features"], io["lengths"])
    worst = 0.0
    for b, n in enumerate(lengths.tolist()):
        worst = max(worst, (log_probs[b, :n] - io["log_probs"][b, :n]).abs().max().item())
    print(f"max |difference| {worst:.3g} over {int(lengths.sum())} frames")
    return worst


def make_fixtures(outdir):
    for name, kw in FIXTURE_CONFIGS.items():
        torch.manual_seed(1234)
        cfg = Config(**kw)
        model = ConformerCtc(cfg).eval()
        with torch.no_grad():  # non-trivial LayerNorm parameters so the test sees them
            for pname, p in model.named_parameters():
                if "norm" in pname:
                    p.add_(0.1 * torch.randn_like(p))
        features = torch.randn(2, 83, cfg.input_dim)
        lengths = torch.tensor([83, 57], dtype=torch.int64)
        features[1, 57:] = 0.0
        with torch.no_grad():
            log_probs, out_lengths = model(features, lengths)
        write_safetensors(f"{outdir}/{name}.dg", dict(model.state_dict()), dg_metadata(kw))
        write_safetensors(f"{outdir}/{name}.io.safetensors",
                          {"features": features, "lengths": lengths, "log_probs": log_probs,
                           "out_lengths": out_lengths})
        print(name, sum(p.numel() for p in model.parameters()), "params", tuple(log_probs.shape))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "fixture":
        make_fixtures(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "check":
        sys.exit(0 if check(sys.argv[2], sys.argv[3]) < 1e-4 else 1)
    else:
        print(__doc__)
        sys.exit(2)
