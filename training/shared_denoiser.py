"""One residual, EDM-preconditioned denoiser that serves VE, VP and subVP exactly (DESIGN.md, "One denoiser,
three SDEs").

The denoiser works in unit space ([0,1] images): x_u = x0 + sigma z. It sees the residual r = x_u - y, where y
is the bicubic upscale of the LR (C2), and predicts the clean residual with Karras et al.'s preconditioning using
the residual's own sigma_data (faces minus their bicubic upscale have a std of about 0.06 on [0,1], measured by
`python3 -m training.train_cpu --measure-sigma-data`):

    D(x_u; sigma, y) = y + c_skip r + c_out F(c_in r, 2y - 1, ln(sigma) / 4)
    c_in = 1 / sqrt(sigma^2 + sd^2), c_skip = sd^2 / (sigma^2 + sd^2), c_out = sigma sd / sqrt(sigma^2 + sd^2)

Each SDE maps its state onto unit space (m = m(t), s = marginal std; VP/subVP data live in [-1,1]):
    VE:       x_u = x,                sigma = sigma(t),   score = (D - x_u) / sigma^2
    VP/subVP: x_u = (x / m + 1) / 2,  sigma = s / (2 m),  score = (D - x_u) / (2 m sigma^2)
((D - x_u) / sigma^2 is evaluated in a form without cancellation: `ResidualDenoiser.unit_score`.)
The VP line follows from x = m (2 x0_u - 1) + s z  =>  (x / m + 1) / 2 = x0_u + (s / 2m) z, and
grad_x = grad_{x_u} / (2m). So the exported models keep contract C3 (x, y, t -> score) and the samplers are unchanged.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from .resnet32 import Res32Config, Res32Net
from .sde import Sde

SIGMA_DATA = 0.06  # std of (face - bicubic upscale of its LR) on [0,1]: 0.0609 on 600 UTKFace training faces
SIGMA_LO, SIGMA_HI = 1e-4, 400.0  # trained noise range: below subVP's sigma(eps) ~ 5e-5 ... above VE's 348
PARAMETERISATION = "residual-edm"


class ResidualDenoiser(nn.Module):
    """D(x_u [B,3,H,W] in unit space, y [B,3,H,W] in [0,1], sigma [B]) -> clean image estimate in unit space."""

    def __init__(self, cfg: Res32Config | None = None, sigma_data: float = SIGMA_DATA) -> None:
        super().__init__()
        self.net = Res32Net(cfg or Res32Config())
        self.sigma_data = sigma_data

    def coefficients(self, sigma: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """(c_in, c_skip, c_out) as [B,1,1,1]."""
        s = sigma.view(-1, 1, 1, 1)
        sd2 = self.sigma_data**2
        inv = torch.rsqrt(s * s + sd2)
        return inv, sd2 * inv * inv, s * self.sigma_data * inv

    def raw(self, x_u: Tensor, y: Tensor, sigma: Tensor) -> Tensor:
        """The network output F (the preconditioned target's estimate)."""
        c_in, _, _ = self.coefficients(sigma)
        inp = torch.cat([c_in * (x_u - y), 2.0 * y - 1.0], dim=1)
        return self.net(inp, torch.log(sigma) * 0.25)

    def forward(self, x_u: Tensor, y: Tensor, sigma: Tensor) -> Tensor:
        _, c_skip, c_out = self.coefficients(sigma)
        return y + c_skip * (x_u - y) + c_out * self.raw(x_u, y, sigma)

    def unit_score(self, x_u: Tensor, y: Tensor, sigma: Tensor) -> Tensor:
        """(D - x_u) / sigma^2, the score in unit space, written without the cancellation of D - x_u (which loses
        all precision in float32 at subVP's smallest noise levels, sigma ~ 1e-4):
        (D - x_u) / sigma^2 = -r / (sigma^2 + sd^2) + sd F / (sigma sqrt(sigma^2 + sd^2))."""
        c_in, _, _ = self.coefficients(sigma)
        s = sigma.view(-1, 1, 1, 1)
        return -(x_u - y) * (c_in * c_in) + self.raw(x_u, y, sigma) * (self.sigma_data * c_in / s)

    def loss(self, x0_u: Tensor, y: Tensor, sigma: Tensor, z: Tensor, mask: Tensor | None = None) -> Tensor:
        """Per-sample EDM loss: lambda(sigma) |D - x0|^2 with lambda = 1 / c_out^2, written as the network's own
        target error (mean over pixels), [B]. With `mask` [B,1,H,W], only pixels where it is 1 count (padding
        that never came from the source image teaches nothing true about faces)."""
        _, c_skip, c_out = self.coefficients(sigma)
        x_u = x0_u + sigma.view(-1, 1, 1, 1) * z
        r, r0 = x_u - y, x0_u - y
        target = (r0 - c_skip * r) / c_out
        sq = (self.raw(x_u, y, sigma).float() - target) ** 2
        if mask is None:
            return sq.flatten(1).mean(1)
        return (sq * mask).flatten(1).sum(1) / (sq.shape[1] * mask.flatten(1).sum(1)).clamp_min(1.0)


def sample_sigma(n: int, generator: torch.Generator | None = None) -> Tensor:
    """Training noise levels: half log-normal around the residual's scale (ln sigma ~ N(-3, 1.5^2)), where the
    detail is decided, half log-uniform over [SIGMA_LO, SIGMA_HI], so that the whole range every sampler visits
    (VE's up to 348, subVP's down to ~5e-5) is trained."""
    normal = torch.randn(n, generator=generator) * 1.5 - 3.0
    uniform = math.log(SIGMA_LO) + torch.rand(n, generator=generator) * (math.log(SIGMA_HI) - math.log(SIGMA_LO))
    pick = torch.rand(n, generator=generator) < 0.5
    return torch.exp(torch.where(pick, normal, uniform)).clamp(SIGMA_LO, SIGMA_HI)


class SharedScoreModel(nn.Module):
    """Contract C3 for one SDE around the shared denoiser: (x in the SDE's data range, y, t) -> score."""

    def __init__(self, sde: Sde, denoiser: ResidualDenoiser) -> None:
        super().__init__()
        self.sde = sde
        self.denoiser = denoiser
        self.param = PARAMETERISATION

    def unit_state(self, x: Tensor, t: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """(x_u, sigma [B], factor [B,1,1,1]) with score = factor * unit score: 1 for VE, 1 / (2 m) for VP/subVP."""
        t = t.float()
        if self.sde.kind == "ve":
            return x, self.sde.sigma(t), torch.ones_like(t).view(-1, 1, 1, 1)
        m = self.sde.mean_coeff(t)
        mb = m.view(-1, 1, 1, 1)
        return (x / mb + 1.0) * 0.5, self.sde.marginal_std(t) / (2.0 * m), 0.5 / mb

    def forward(self, x: Tensor, y: Tensor, t: Tensor) -> Tensor:
        x_u, sigma, factor = self.unit_state(x.float(), t)
        return factor * self.denoiser.unit_score(x_u, y, sigma)
