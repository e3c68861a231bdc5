"""The forward SDEs of DESIGN.md section 1 (VE, VP, subVP) with the paper's parameters: marginals p(x_t | x_0),
drift and diffusion, in torch (float32 or float64, following the input)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor


@dataclass(frozen=True)
class Sde:
    """One forward SDE. kind: 've' | 'vp' | 'subvp'."""

    kind: str
    sigma_min: float = 0.01
    sigma_max: float = 348.0
    beta_min: float = 0.1
    beta_max: float = 20.0

    def __post_init__(self) -> None:
        if self.kind not in ("ve", "vp", "subvp"):
            raise ValueError(f"unknown SDE kind {self.kind!r} (expected ve, vp or subvp)")

    @property
    def eps(self) -> float:
        """Smallest time: 1e-5 for VE, 1e-3 for VP and subVP (paper)."""
        return 1e-5 if self.kind == "ve" else 1e-3

    @property
    def data_range(self) -> tuple[float, float]:
        """[0, 1] for VE, [-1, 1] for VP and subVP."""
        return (0.0, 1.0) if self.kind == "ve" else (-1.0, 1.0)

    def to_model_range(self, img01: Tensor) -> Tensor:
        """Images in [0, 1] -> the SDE's data range."""
        return img01 if self.kind == "ve" else img01 * 2.0 - 1.0

    def to_unit_range(self, x: Tensor) -> Tensor:
        """The SDE's data range -> [0, 1]."""
        return x if self.kind == "ve" else (x + 1.0) * 0.5

    def sigma(self, t: Tensor) -> Tensor:
        """VE noise scale sigma(t) = sigma_min (sigma_max / sigma_min)^t."""
        return self.sigma_min * (self.sigma_max / self.sigma_min) ** t

    def beta(self, t: Tensor) -> Tensor:
        """beta(t) = beta_min + t (beta_max - beta_min)."""
        return self.beta_min + t * (self.beta_max - self.beta_min)

    def mean_coeff(self, t: Tensor) -> Tensor:
        """m(t) = exp(-t^2 (beta_max - beta_min) / 4 - t beta_min / 2) (1 for VE)."""
        if self.kind == "ve":
            return torch.ones_like(t)
        return torch.exp(-0.25 * t * t * (self.beta_max - self.beta_min) - 0.5 * t * self.beta_min)

    def marginal_std(self, t: Tensor) -> Tensor:
        """Standard deviation of p(x_t | x_0): sigma(t), sqrt(1 - m^2), 1 - m^2."""
        if self.kind == "ve":
            return self.sigma(t)
        m2 = self.mean_coeff(t) ** 2
        return torch.sqrt(1.0 - m2) if self.kind == "vp" else 1.0 - m2

    def perturb(self, x0: Tensor, t: Tensor, z: Tensor) -> Tensor:
        """x_t = m(t) x_0 + std(t) z, t per batch item."""
        shape = (-1,) + (1,) * (x0.dim() - 1)
        return self.mean_coeff(t).view(shape) * x0 + self.marginal_std(t).view(shape) * z

    def drift_diffusion(self, x: Tensor, t: Tensor) -> tuple[Tensor, Tensor]:
        """f(x, t) and g(t) of the forward SDE."""
        shape = (-1,) + (1,) * (x.dim() - 1)
        if self.kind == "ve":
            g = self.sigma(t) * math.sqrt(2.0 * math.log(self.sigma_max / self.sigma_min))
            return torch.zeros_like(x), g
        b = self.beta(t)
        f = -0.5 * b.view(shape) * x
        if self.kind == "vp":
            return f, torch.sqrt(b)
        m = self.mean_coeff(t)
        return f, torch.sqrt(b * (1.0 - m**4))

    def prior_std(self) -> float:
        """Std of the prior at t = 1: sigma_max for VE, 1 for VP/subVP (as the reference code samples)."""
        return self.sigma_max if self.kind == "ve" else 1.0
