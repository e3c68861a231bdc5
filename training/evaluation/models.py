"""Test stand-ins shared with the TypeScript evaluator: the analytic Gaussian score model and the pixel embedder.

Both are exact mirrors of src/main/eval/analytic-model.ts and src/main/eval/embedders.ts. Neither is trained on
faces; results from them are never the method's.
"""
from __future__ import annotations

import hashlib
import json
import math

import numpy as np
import torch


def perturbation(sde: dict, t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean scale m(t) and variance v(t) of the SDE's perturbation kernel (DESIGN.md section 1), float64."""
    t = t.double()
    if sde["kind"] == "ve":
        s = sde["sigmaMin"] * (sde["sigmaMax"] / sde["sigmaMin"]) ** t
        return torch.ones_like(t), s * s
    m = torch.exp(-0.25 * t * t * (sde["betaMax"] - sde["betaMin"]) - 0.5 * t * sde["betaMin"])
    v = 1 - m * m
    return m, (v if sde["kind"] == "vp" else v * v)


def _js_numbers(obj):
    """Integral floats as ints, as JavaScript prints them (348.0 -> 348)."""
    if isinstance(obj, dict):
        return {k: _js_numbers(v) for k, v in obj.items()}
    if isinstance(obj, float) and obj.is_integer():
        return int(obj)
    return obj


def _js_json(obj) -> str:
    """JSON.stringify's compact form (no spaces), so the model hash equals the TypeScript one."""
    return json.dumps(_js_numbers(obj), separators=(",", ":"))


def analytic_gaussian_model(sde: dict, tau: float):
    """(score_fn, info): exact score of x0 ~ N(mu(y), tau^2 I), mu(y) = y in the model's data range."""
    if not tau > 0:
        raise ValueError(f"The analytic model needs tau > 0, not {tau}.")
    data_range = "0,1" if sde["kind"] == "ve" else "-1,1"

    def score(x: torch.Tensor, y: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        m, v = perturbation(sde, t)
        shape = (-1,) + (1,) * (x.dim() - 1)
        mu = y if data_range == "0,1" else 2 * y - 1
        inv = (1 / (m * m * tau * tau + v)).to(x.dtype).view(shape)
        return -(x - m.to(x.dtype).view(shape) * mu) * inv

    definition = _js_json({"kind": "analytic-gaussian", "sde": sde, "tau": tau})
    info = {
        "id": f"analytic-gaussian-{sde['kind']}",
        "sha256": hashlib.sha256(definition.encode()).hexdigest(),
        "sde": sde,
        "dataRange": data_range,
        "trainedOnFaces": False,
        "note": f"analytic test model, NOT trained on faces: exact score of x0 ~ N(bicubic(y), {tau}^2 I); "
        f"sha256 of {definition}",
    }
    return score, info


def pixel_embed(img: np.ndarray) -> np.ndarray:
    """Mean-free 16x16 grey block means of an HWC image in [0,1] (src/main/eval/embedders.ts pixelEmbed)."""
    h, w, _ = img.shape
    if h % 16 or w % 16:
        raise ValueError("pixel_embed: size must be a multiple of 16.")
    grey = img.astype(np.float64).mean(axis=2)
    blocks = grey.reshape(16, h // 16, 16, w // 16).mean(axis=(1, 3)).ravel()
    return (blocks - blocks.mean()).astype(np.float32)


PIXEL_EMBEDDER_INFO = {
    "id": "pixel-ncc-16",
    "sha256": hashlib.sha256(b"pixel-ncc-16: mean-free 16x16 grey block means").hexdigest(),
    "faceRecognition": False,
    "note": "mean-free 16x16 grey thumbnail (normalised cross-correlation); a test stand-in, not a face recogniser",
}
