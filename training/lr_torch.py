"""The C2 operator as batched matrix products in torch (for training and GPU evaluation). Same weights as lr.py;
float32/float64 summation order differs, so values agree to ~1e-6 rather than bit for bit."""

from __future__ import annotations

import torch
from torch import Tensor

from .lr import HR_SIZE, LR_SIZE, resize_matrix


class LrOperator:
    """downscale / quantise / upscale of NCHW batches on one device."""

    def __init__(self, device: torch.device | str = "cpu", dtype: torch.dtype = torch.float32) -> None:
        self.down = torch.tensor(resize_matrix(HR_SIZE, LR_SIZE), dtype=dtype, device=device)
        self.up = torch.tensor(resize_matrix(LR_SIZE, HR_SIZE), dtype=dtype, device=device)

    def downscale(self, hr: Tensor) -> Tensor:
        """[B,3,128,128] -> [B,3,16,16], not quantised."""
        d = self.down.to(hr.dtype)
        return d @ hr @ d.t()

    @staticmethod
    def quantise(v: Tensor) -> Tensor:
        """floor(clamp(v, 0, 1) * 255 + 0.5) / 255."""
        return torch.floor(v.clamp(0.0, 1.0) * 255.0 + 0.5) / 255.0

    def make_lr(self, hr: Tensor) -> Tensor:
        """LR = quantise(downscale(HR)), computed in float64 so quantisation ties match the exact operator."""
        return self.quantise(self.downscale(hr.double())).to(hr.dtype)

    def upscale(self, lr: Tensor) -> Tensor:
        """[B,3,16,16] -> [B,3,128,128] (the conditioning y)."""
        u = self.up.to(lr.dtype)
        return u @ lr @ u.t()

    def consistency(self, sr: Tensor, lr: Tensor) -> Tensor:
        """Per-image mean of (255 downscale(SR) - 255 LR)^2, [B]."""
        d = 255.0 * (self.downscale(sr.double()) - lr.double())
        return (d * d).flatten(1).mean(1)


def psnr(a: Tensor, b: Tensor) -> Tensor:
    """Per-image PSNR on the 0-255 scale over the whole RGB image (inputs in [0,1]), [B]."""
    mse = ((255.0 * (a.double() - b.double())) ** 2).flatten(1).mean(1)
    return 10.0 * torch.log10(255.0**2 / mse.clamp_min(1e-12))
