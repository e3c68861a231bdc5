"""Denoising score matching (paper Eq. 3) with each SDE's perturbation kernel; t ~ U(eps, 1).

With lambda(t) = std(t)^2 the per-sample loss is mean over pixels of (std s_theta(x_t, y, t) + z)^2, where
x_t = m(t) x_0 + std(t) z and the kernel's score is -z / std (score_sde's loss with reduce_mean). The EDM
variant (VE only) weights the denoiser error by (sigma^2 + sigma_data^2) / (sigma sigma_data)^2 and samples
ln sigma ~ N(-1.2, 1.2^2) clipped to the SDE's sigma range.
"""

from __future__ import annotations

import math

from typing import Callable

import torch
from torch import Tensor

from .model import SIGMA_DATA
from .sde import Sde

ScoreFn = Callable[[Tensor, Tensor, Tensor], Tensor]


def sample_t(sde: Sde, n: int, device: torch.device, generator: torch.Generator | None = None) -> Tensor:
    """t ~ U(eps, 1), as in the paper."""
    u = torch.rand(n, device=device, generator=generator)
    return sde.eps + (1.0 - sde.eps) * u


def masked_mean(sq: Tensor, mask: Tensor | None) -> Tensor:
    """Per-sample mean over pixels, or over the pixels where mask [B,1,H,W] is 1."""
    if mask is None:
        return sq.flatten(1).mean(1)
    return (sq * mask).flatten(1).sum(1) / (sq.shape[1] * mask.flatten(1).sum(1))


def dsm_loss(model: ScoreFn, sde: Sde, x0: Tensor, y: Tensor, t: Tensor, z: Tensor,
             mask: Tensor | None = None) -> Tensor:
    """Eq. 3 per sample ([B]): mean over pixels of (std(t) s_theta + z)^2 at x_t = m x0 + std z."""
    xt = sde.perturb(x0, t, z)
    std = sde.marginal_std(t).view(-1, 1, 1, 1)
    score = model(xt, y, t)
    return masked_mean((std * score + z) ** 2, mask)


def edm_t(sde: Sde, n: int, device: torch.device, generator: torch.Generator | None = None) -> Tensor:
    """Times whose sigma(t) follows EDM's log-normal (P_mean -1.2, P_std 1.2), clipped to [sigma(eps), sigma_max]."""
    ln_sigma = -1.2 + 1.2 * torch.randn(n, device=device, generator=generator)
    lo, hi = math.log(sde.sigma_min), math.log(sde.sigma_max)
    t = (ln_sigma - lo) / (hi - lo)
    return t.clamp(sde.eps, 1.0)


def edm_loss(model: ScoreFn, sde: Sde, x0: Tensor, y: Tensor, t: Tensor, z: Tensor,
             mask: Tensor | None = None) -> Tensor:
    """EDM-weighted denoiser loss per sample ([B]) for VE; D = x_t + sigma^2 score (through the forward, so that
    DDP and torch.compile wrappers see the call)."""
    sigma = sde.sigma(t).view(-1, 1, 1, 1)
    xt = x0 + sigma * z
    d = xt + sigma * sigma * model(xt, y, t)
    w = (sigma * sigma + SIGMA_DATA**2) / (sigma * SIGMA_DATA) ** 2
    return masked_mean(w * (d - x0) ** 2, mask)


def training_loss(model: ScoreFn, sde: Sde, param: str, x0: Tensor, y: Tensor,
                  generator: torch.Generator | None = None, mask: Tensor | None = None) -> Tensor:
    """The mean loss of a batch for the parameterisation (fresh t and z); `model` may be a DDP/compiled wrapper."""
    n = x0.shape[0]
    z = torch.randn(x0.shape, device=x0.device, generator=generator)
    if param == "edm":
        return edm_loss(model, sde, x0, y, edm_t(sde, n, x0.device, generator), z, mask).mean()
    return dsm_loss(model, sde, x0, y, sample_t(sde, n, x0.device, generator), z, mask).mean()
