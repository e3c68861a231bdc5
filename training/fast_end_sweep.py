"""Where should the 'fast' preset stop? Runs DPM-Solver++ 3M (25 NFE, the app's formulas) on the committed VE model
to several end noise levels and prints, per data set, candidate 0's PSNR and consistency, the fine-detail energy
(mean |Laplacian| on the 0-255 scale) of candidates and of the true faces, the RMS difference between two candidates
(diversity) and the PSNR of their mean. The end level is chosen on held-out UTKFace (the training domain), where a
good sampler's candidates should carry the faces' own fine-detail energy; CelebA is shown beside it.

    /usr/bin/python3 -m training.fast_end_sweep --faces 16 --ends 0.01,0.05,0.1,0.2,0.35
"""
from __future__ import annotations

import argparse

import numpy as np
import torch
from torch import Tensor

from .data import celeba_files, load_c1, spread, utkface_files
from .export import load_onnx_weights
from .lr_torch import LrOperator, psnr
from .paths import REPO_ROOT
from .samplers import sample_dpm_solver, scalar_sde, streams_for
from .sde import Sde
from .shared_denoiser import ResidualDenoiser, SharedScoreModel
from .train_cpu import CONFIGS, find_committed


def detail_energy(x: Tensor) -> Tensor:
    """Per-image mean |4-neighbour Laplacian| on the 0-255 scale."""
    lap = 4 * x[:, :, 1:-1, 1:-1] - x[:, :, 2:, 1:-1] - x[:, :, :-2, 1:-1] - x[:, :, 1:-1, 2:] - x[:, :, 1:-1, :-2]
    return 255.0 * lap.abs().flatten(1).mean(1)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--faces", type=int, default=16)
    p.add_argument("--ends", default="0.01,0.05,0.1,0.2,0.35", help="end noise levels on [0,1] images (VE sigma)")
    p.add_argument("--steps", type=int, default=25)
    p.add_argument("--seed", type=int, default=2022)
    p.add_argument("--models", default=f"{REPO_ROOT}/models")
    a = p.parse_args()
    found = find_committed(a.models)
    if not found:
        raise SystemExit(f"no committed VE model of the shared denoiser in {a.models}")
    onnx_path, man = found
    sde = Sde("ve")
    model = SharedScoreModel(sde, ResidualDenoiser(CONFIGS["cpu"]))
    if load_onnx_weights(model, onnx_path):
        raise SystemExit(f"cannot load every weight of {onnx_path}")
    model.eval()
    lr_op = LrOperator()
    sigma_inv = scalar_sde(sde)[2]

    def score(x: Tensor, y: Tensor, t: Tensor) -> Tensor:
        return model(x, y, t.float()).float()

    def candidates(y: Tensor, end: float, offset: int) -> Tensor:
        eps = max(sde.eps, sigma_inv(end))
        out = [sample_dpm_solver(sde, score, y[i : i + 16], streams_for(a.seed, len(y[i : i + 16]), i + offset),
                                 steps=a.steps, order=3, eps=eps) for i in range(0, len(y), 16)]
        return torch.cat(out).clamp(0.0, 1.0)

    print(f"model {man['id']}; DPM-Solver++ 3M, {a.steps} NFE; seed {a.seed}; {a.faces} faces per set")
    sets = {"utkface-heldout": spread(utkface_files("heldout"), a.faces), "celeba": spread(celeba_files(), a.faces)}
    for name, files in sets.items():
        hr = torch.from_numpy(np.stack([load_c1(f) for f in files])).permute(0, 3, 1, 2).float() / 255.0
        low = lr_op.make_lr(hr)
        y = lr_op.upscale(low)
        print(f"\n{name}: bicubic PSNR {psnr(y.clamp(0, 1), hr).mean():.2f}, "
              f"consistency {lr_op.consistency(y.clamp(0, 1), low).mean():.2f}; faces' detail energy "
              f"{detail_energy(hr).mean():.2f}")
        print("| end sigma | PSNR cand 0 | consistency | detail energy | diversity (RMS) | PSNR mean of 2 |")
        print("|---|---|---|---|---|---|")
        for end in (float(e) for e in a.ends.split(",")):
            with torch.no_grad():
                c0, c1 = candidates(y, end, 0), candidates(y, end, 1000)
            div = (255.0 * (c0 - c1)).pow(2).flatten(1).mean(1).sqrt().mean()
            print(f"| {end:g} | {psnr(c0, hr).mean():.2f} | {lr_op.consistency(c0, low).mean():.2f} | "
                  f"{detail_energy(c0).mean():.2f} | {div:.2f} | {psnr((c0 + c1) / 2, hr).mean():.2f} |", flush=True)


if __name__ == "__main__":
    main()
