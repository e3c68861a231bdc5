"""PSNR and SSIM as DESIGN.md section 4 defines them, batched in torch (GPU-sized runs); same definitions as
src/core/metrics. Consistency needs the C2 operator and lives with it (see evaluate.py)."""
from __future__ import annotations

import math
from typing import Optional

import torch


def psnr(sr: torch.Tensor, hr: torch.Tensor) -> list[Optional[float]]:
    """Per-image PSNR in dB on the 0-255 scale over the whole RGB image; None where SR equals HR (infinite)."""
    d = (sr.double() - hr.double()) * 255
    mse = (d * d).flatten(1).mean(1)
    return [None if m == 0 else 10 * math.log10(255.0 ** 2 / float(m)) for m in mse]


def _gaussian_1d(size: int = 11, sigma: float = 1.5) -> torch.Tensor:
    x = torch.arange(size, dtype=torch.float64) - (size - 1) / 2
    g = torch.exp(-(x * x) / (2 * sigma * sigma))
    return g / g.sum()


def ssim(sr: torch.Tensor, hr: torch.Tensor) -> list[float]:
    """Per-image SSIM of [B,3,H,W] batches in [0,1]: per RGB channel with an 11x11 Gaussian window (sigma 1.5),
    K1 0.01, K2 0.03, L 255, population (co)variances over the valid region (no padding), averaged over pixels and
    channels (src/core/metrics/ssim.ts; scikit-image's gaussian_weights=True). Float64, separable window."""
    a = sr.double() * 255
    b = hr.double() * 255
    c = a.shape[1]
    g = _gaussian_1d().to(a.device)
    wh = g.view(1, 1, 1, 11).expand(c, 1, 1, 11)
    wv = g.view(1, 1, 11, 1).expand(c, 1, 11, 1)

    def f(x: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.conv2d(torch.nn.functional.conv2d(x, wh, groups=c), wv, groups=c)

    mu_a, mu_b = f(a), f(b)
    saa = f(a * a) - mu_a * mu_a
    sbb = f(b * b) - mu_b * mu_b
    sab = f(a * b) - mu_a * mu_b
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    m = ((2 * mu_a * mu_b + c1) * (2 * sab + c2)) / ((mu_a * mu_a + mu_b * mu_b + c1) * (saa + sbb + c2))
    return [float(v) for v in m.flatten(2).mean(2).mean(1)]


STREAK_ROWS = 27  # top rows of C1 that are edge-replicated padding in UTKFace faces (issue 27)


def gradient_ratio(img: torch.Tensor, rows: int = STREAK_ROWS) -> list[float]:
    """Streak check per image of [B,3,H,W] in [0,1]: sum of squared horizontal over sum of squared vertical
    differences of the grey image (channel mean) in the top `rows` rows, the denominator clamped at 1e-12; the same
    definition as src/core/metrics/streak.ts and training/streaks.py (float64 here)."""
    g = img.double().mean(1)[:, :rows]
    gx = (g[:, :, 1:] - g[:, :, :-1]).pow(2).flatten(1).sum(1)
    gy = (g[:, 1:, :] - g[:, :-1, :]).pow(2).flatten(1).sum(1)
    return [float(v) for v in gx / gy.clamp_min(1e-12)]
