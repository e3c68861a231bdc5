"""The score model s_theta(x, y, t) of contract C3 around the U-Net, with the parameterisation of each SDE.

- 'paper' (default): NCSN++/DDPM style. VE: score = F(concat(2x - 1, 2y - 1), t) / sigma(t) (NCSN++'s
  scale_by_sigma); VP/subVP: score = -F(concat(x, 2y - 1), t) / std(t) (noise prediction).
- 'edm' (VE only): Karras et al. 2022 preconditioning of the denoiser, D = 0.5 + c_skip (x - 0.5) +
  c_out F(c_in (x - 0.5), y, t) with sigma_data = 0.5; score = (D - x) / sigma^2.
Both return the score, so the exported ONNX meets C3 whichever was trained.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from .sde import Sde
from .unet import UNet, UNetConfig

SIGMA_DATA = 0.5


class ScoreModel(nn.Module):
    """(x [B,3,H,W] in the SDE's data range, y [B,3,H,W] in [0,1], t [B]) -> score [B,3,H,W]."""

    def __init__(self, sde: Sde, net_cfg: UNetConfig, param: str = "paper") -> None:
        super().__init__()
        if param not in ("paper", "edm"):
            raise ValueError(f"unknown parameterisation {param!r}")
        if param == "edm" and sde.kind != "ve":
            raise ValueError("the EDM parameterisation is implemented for VE only")
        self.sde = sde
        self.param = param
        self.net = UNet(net_cfg)

    def denoise(self, x: Tensor, y: Tensor, t: Tensor) -> Tensor:
        """EDM denoiser D(x; sigma(t)) (param 'edm' only)."""
        sigma = self.sde.sigma(t.float()).view(-1, 1, 1, 1)
        s2 = sigma * sigma + SIGMA_DATA**2
        c_in, c_skip, c_out = torch.rsqrt(s2), SIGMA_DATA**2 / s2, sigma * SIGMA_DATA * torch.rsqrt(s2)
        xc = x - 0.5
        f = self.net(torch.cat([c_in * xc, 2.0 * y - 1.0], dim=1).to(x.dtype), t).float()
        return 0.5 + c_skip * xc.float() + c_out * f

    def forward(self, x: Tensor, y: Tensor, t: Tensor) -> Tensor:
        if self.param == "edm":
            sigma = self.sde.sigma(t.float()).view(-1, 1, 1, 1)
            return (self.denoise(x, y, t) - x.float()) / (sigma * sigma)
        std = self.sde.marginal_std(t.float()).view(-1, 1, 1, 1)
        if self.sde.kind == "ve":
            f = self.net(torch.cat([2.0 * x - 1.0, 2.0 * y - 1.0], dim=1), t).float()
            return f / std
        f = self.net(torch.cat([x, 2.0 * y - 1.0], dim=1), t).float()
        return -f / std
