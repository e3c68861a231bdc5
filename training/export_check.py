"""Exports a seeded random model of a config to ONNX and saves torch's output on fixed inputs, for the vitest check
in onnxruntime-node (test/training/onnx-export.test.ts).

Run: /usr/bin/python3 -m training.export_check --out DIR [--config tiny] [--sde ve] [--param paper|residual-edm]
[--fp16-weights]. With --param residual-edm the network is the CPU trainer's shared residual denoiser (train_cpu's
`--config tiny` or `cpu`).
Writes DIR/model.onnx, DIR/io.json ({shape, x, y, t, score} with float32 data as base64 little-endian).
"""

from __future__ import annotations

import argparse
import base64
import json
import os

import numpy as np
import torch

from .config import net_config
from .export import export_onnx, round_weights_fp16
from .model import ScoreModel
from .sde import Sde
from .shared_denoiser import PARAMETERISATION, ResidualDenoiser, SharedScoreModel


def b64(a: np.ndarray) -> str:
    """float32 little-endian bytes, base64."""
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode()


def main() -> None:
    """Command line."""
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--config", default="tiny")
    p.add_argument("--sde", default="ve")
    p.add_argument("--param", default="paper")
    p.add_argument("--batch", type=int, default=3)
    p.add_argument("--fp16-weights", action="store_true")
    a = p.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    model: torch.nn.Module
    if a.param == PARAMETERISATION:
        from .train_cpu import CONFIGS

        model = SharedScoreModel(Sde(a.sde), ResidualDenoiser(CONFIGS[a.config])).eval()
    else:
        model = ScoreModel(Sde(a.sde), net_config(a.config), a.param).eval()
    with torch.no_grad():
        for prm in model.parameters():  # the zero-initialised output layers would make a trivial check
            prm.add_(0.05 * torch.randn_like(prm))
    if a.fp16_weights:
        round_weights_fp16(model)
    os.makedirs(a.out, exist_ok=True)
    export_onnx(model, os.path.join(a.out, "model.onnx"), fp16_weights=a.fp16_weights)
    g = torch.Generator().manual_seed(1)
    lo, hi = model.sde.data_range
    x = lo + (hi - lo) * torch.rand(a.batch, 3, 128, 128, generator=g)
    y = torch.rand(a.batch, 3, 128, 128, generator=g)
    t = torch.linspace(0.05, 0.95, a.batch)
    with torch.no_grad():
        score = model(x, y, t)
    io = {"batch": a.batch, "x": b64(x.numpy()), "y": b64(y.numpy()), "t": b64(t.numpy()), "score": b64(score.numpy())}
    with open(os.path.join(a.out, "io.json"), "w") as fh:
        json.dump(io, fh)
    print(json.dumps({"out": a.out, "max_abs_score": float(score.abs().max())}))


if __name__ == "__main__":
    main()
