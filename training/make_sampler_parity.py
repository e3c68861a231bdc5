"""Writes test/fixtures/parity/sampler/: a seeded random `micro` VE score model (model.onnx, C3) and the outputs
of the Python reference samplers on it (sampler.json), so the TypeScript core's samplers (driving the same ONNX
in onnxruntime) can be checked against them (expected agreement ~1e-4 relative; torch and ORT kernels differ
in float32 rounding).

Run from the repo root: /usr/bin/python3 -m training.make_sampler_parity
"""

from __future__ import annotations

import json
import os

import numpy as np
import torch

from .config import net_config
from .export import export_onnx, round_weights_fp16
from .lr import make_lr, upscale
from .make_parity import FORMULAS, formula_image, rounded
from .model import ScoreModel
from .paths import REPO_ROOT
from .samplers import PcConfig, sample_heun, sample_pc, streams_for
from .sde import Sde

OUT_DIR = os.path.join(REPO_ROOT, "test", "fixtures", "parity", "sampler")
SEED = 12345
CASES = [
    {"name": "sde-ve", "kind": "pc", "predictor": "reverse-diffusion", "corrector": "none", "steps": 4},
    {"name": "sde-vecs", "kind": "pc", "predictor": "reverse-diffusion", "corrector": "langevin", "steps": 3,
     "corrector_steps": 1, "snr": 0.16},
    {"name": "heun", "kind": "heun", "steps": 3, "rho": 7.0, "churn": 0.0},
]


def build_model() -> ScoreModel:
    """The seeded random model (the zero-initialised output layers get weights too)."""
    torch.manual_seed(3)
    model = ScoreModel(Sde("ve"), net_config("micro")).eval()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.05 * torch.randn_like(p))
    round_weights_fp16(model)  # the ONNX stores float16 weights (small fixture); torch uses the same values
    return model


def conditioning() -> np.ndarray:
    """y of two candidates: C2 upscale of the LR of two formula images, [2,3,128,128] float32."""
    ys = [upscale(make_lr(formula_image(f))) for f in FORMULAS[:2]]
    return np.stack([y.transpose(2, 0, 1) for y in ys]).astype(np.float32)


def run_case(model: ScoreModel, y: torch.Tensor, case: dict[str, object]) -> torch.Tensor:
    """One sampler on both candidates (candidates 0 and 1 of SEED)."""

    def score(x: torch.Tensor, yy: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            return model(x, yy, t.float())

    streams = streams_for(SEED, y.shape[0])
    if case["kind"] == "heun":
        return sample_heun(model.sde, score, y, streams, int(case["steps"]), float(case["rho"]))  # type: ignore[arg-type]
    cfg = PcConfig(str(case["predictor"]), str(case["corrector"]), int(case["steps"]),  # type: ignore[arg-type]
                   int(case.get("corrector_steps", 1)), float(case.get("snr", 0.16)))  # type: ignore[arg-type]
    return sample_pc(model.sde, score, y, streams, cfg)


def results() -> dict[str, object]:
    """The fixture record."""
    torch.set_num_threads(1)
    model = build_model()
    y = torch.from_numpy(conditioning())
    out = []
    for case in CASES:
        x = run_case(model, y, case).numpy().astype(np.float64)
        out.append({**case, "candidates": [
            {"candidate": k, "first": rounded(x[k].reshape(-1)[:32]), "sum": float(x[k].sum()),
             "sum_sq": float((x[k] ** 2).sum())} for k in range(x.shape[0])
        ]})
    return {
        "model": "model.onnx (micro config, seeded random weights, VE, paper parameterisation)",
        "sde": {"kind": "ve", "sigma_min": 0.01, "sigma_max": 348.0, "eps": 1e-5},
        "seed": str(SEED),
        "y": "candidate k: C2 upscale(LR) of the c2.json formula image FORMULAS[k] (pattern, overshoot), CHW",
        "output": "noise-free mean in the model's data range (not clamped), CHW row-major",
        "generator": "python3 -m training.make_sampler_parity",
        "cases": out,
    }


def main() -> None:
    """Writes model.onnx and sampler.json."""
    os.makedirs(OUT_DIR, exist_ok=True)
    export_onnx(build_model(), os.path.join(OUT_DIR, "model.onnx"), fp16_weights=True)
    with open(os.path.join(OUT_DIR, "sampler.json"), "w") as fh:
        json.dump(results(), fh, indent=1)
        fh.write("\n")
    for n in ("model.onnx", "sampler.json"):
        print(n, os.path.getsize(os.path.join(OUT_DIR, n)))


if __name__ == "__main__":
    main()
