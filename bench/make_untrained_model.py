"""Exports an UNTRAINED score network of the training code's `default` size to out/bench-models/ (not committed).

Random weights: the model is useless for images and exists only so that `npm run bench` measures per-NFE latency,
sampler overhead and candidates per minute on a network of the size the product will ship (DESIGN.md section 6).
Its manifest has `test_only: true`, so the app never offers it.

Run: OMP_NUM_THREADS=1 /usr/bin/python3 bench/make_untrained_model.py [--config default] [--sde ve]
"""

import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from training.config import net_config  # noqa: E402
from training.export import export_onnx, manifest, write_manifest  # noqa: E402
from training.flops import count_flops, count_params  # noqa: E402
from training.model import ScoreModel  # noqa: E402
from training.sde import Sde  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--config", default="default")
    p.add_argument("--sde", default="ve")
    a = p.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    model = ScoreModel(Sde(a.sde), net_config(a.config), "paper").eval()
    with torch.no_grad():  # the zero-initialised output layers would give an all-zero score
        for prm in model.parameters():
            prm.add_(0.05 * torch.randn_like(prm))
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "out", "bench-models")
    os.makedirs(out, exist_ok=True)
    name = f"untrained-{a.config}-{a.sde}"
    path = os.path.join(out, name + ".onnx")
    export_onnx(model, path)
    x = torch.rand(1, 3, 128, 128)
    flops = count_flops(model, x, torch.rand(1, 3, 128, 128), torch.full((1,), 0.5))
    training = {"data": "none: UNTRAINED random weights, for latency only", "steps": 0, "images_seen": 0,
                "device": "none", "minutes": 0}
    m = manifest(model, path, count_params(model), flops, training, {}, name)
    m["test_only"] = True
    write_manifest(m, os.path.join(out, name + ".json"))
    print(f"{path}: {m['params']} params, {m['flops'] / 1e9:.2f} GFLOP")


if __name__ == "__main__":
    main()
