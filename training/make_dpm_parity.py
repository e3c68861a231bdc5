"""Writes test/fixtures/parity/dpm-solver.json: outputs of the Python DPM-Solver++ (training/samplers.py) on the
analytic Gaussian score of test/fixtures/models/make_models.py, so test/core/sampling/dpm-parity.test.ts can check
that the TypeScript 'fast' preset (src/core/sampling/dpm-solver.ts) gives the same samples, and
training/tests/test_dpm_solver.py that the Python side has not drifted from the committed record.

Run from the repo root: /usr/bin/python3 -m training.make_dpm_parity
"""

from __future__ import annotations

import json
import math
import os

import numpy as np
import torch
from torch import Tensor

from .paths import REPO_ROOT
from .samplers import sample_dpm_solver, streams_for
from .sde import Sde

OUT = os.path.join(REPO_ROOT, "test", "fixtures", "parity", "dpm-solver.json")
SEED = 2022
BATCH, SHAPE = 2, (3, 8, 8)
S0 = 0.1  # std of the Gaussian data around mu(y), as make_models.py
CASES = [
    {"sde": "ve", "order": 3, "steps": 25},
    {"sde": "vp", "order": 3, "steps": 25},
    {"sde": "subvp", "order": 3, "steps": 25},
    {"sde": "ve", "order": 2, "steps": 10},
    {"sde": "vp", "order": 2, "steps": 10},
]


def conditioning() -> Tensor:
    """y[b, c, h, w] = ((5 b + 7 c + 3 h + 11 w) mod 17) / 16, float32 in [0, 1]."""
    b, c, h, w = np.meshgrid(*(np.arange(n) for n in (BATCH,) + SHAPE), indexing="ij")
    return torch.from_numpy((((5 * b + 7 * c + 3 * h + 11 * w) % 17) / 16).astype(np.float32))


def analytic_score(sde: Sde):
    """make_models.py's closed-form score of x0 ~ N(mu(y), S0^2 I) in float32: mu = y (VE) or 2y - 1 (VP/subVP);
    score = (m mu - x) / (m^2 S0^2 + std(t)^2)."""

    def score(x: Tensor, y: Tensor, t: Tensor) -> Tensor:
        t4 = t.view(-1, 1, 1, 1)
        if sde.kind == "ve":
            sigma = sde.sigma_min * torch.exp(t4 * math.log(sde.sigma_max / sde.sigma_min))
            return (y - x) / (sigma * sigma + S0 * S0)
        m = torch.exp(t4 * t4 * (-0.25 * (sde.beta_max - sde.beta_min)) + t4 * (-0.5 * sde.beta_min))
        one_m2 = 1.0 - m * m
        noise_var = one_m2 * one_m2 if sde.kind == "subvp" else one_m2
        return ((2.0 * y - 1.0) * m - x) / (m * m * (S0 * S0) + noise_var)

    return score


def run_case(case: dict[str, object]) -> Tensor:
    """One case on candidates 0 .. BATCH - 1 of SEED."""
    sde = Sde(str(case["sde"]))
    return sample_dpm_solver(sde, analytic_score(sde), conditioning(), streams_for(SEED, BATCH),
                             steps=int(case["steps"]), order=int(case["order"]))  # type: ignore[call-overload]


def results() -> dict[str, object]:
    """The fixture record."""
    torch.set_num_threads(1)
    cases = []
    for case in CASES:
        x = run_case(case).numpy().astype(np.float64)
        cases.append({**case, "x": [float(f"{v:.8g}") for v in x.reshape(-1)]})
    return {
        "sampler": "DPM-Solver++ multistep, data prediction, no LR projection (training.samplers.sample_dpm_solver)",
        "seed": str(SEED),
        "shape": [BATCH, *SHAPE],
        "y": "y[b,c,h,w] = ((5b + 7c + 3h + 11w) mod 17) / 16",
        "score": "analytic Gaussian of make_models.py, s0 = 0.1, paper SDE parameters, eps = paper's",
        "output": "x0 in the SDE's data range, BCHW row-major, float32 rounded to 8 significant digits",
        "generator": "python3 -m training.make_dpm_parity",
        "cases": cases,
    }


def main() -> None:
    """Writes the fixture."""
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as fh:
        json.dump(results(), fh, indent=None, separators=(",", ":"))
        fh.write("\n")
    print(OUT, os.path.getsize(OUT))


if __name__ == "__main__":
    main()
