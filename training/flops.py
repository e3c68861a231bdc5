"""Parameter and FLOP counts (hook-based: convolutions, linear layers and attention matmuls; 1 MAC = 2 FLOP;
normalisation and activations are not counted, they are a few percent)."""

from __future__ import annotations

import torch
from torch import nn


def count_params(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def count_flops(model: nn.Module, *inputs: torch.Tensor) -> int:
    """FLOPs of one forward on `inputs` (sum over the batch)."""
    total = [0]
    hooks = []

    def conv_hook(m: nn.Conv2d, _inp: tuple[torch.Tensor, ...], out: torch.Tensor) -> None:
        k = m.kernel_size[0] * m.kernel_size[1] * (m.in_channels // m.groups)
        total[0] += 2 * k * out.numel()

    def linear_hook(m: nn.Linear, _inp: tuple[torch.Tensor, ...], out: torch.Tensor) -> None:
        total[0] += 2 * m.in_features * out.numel()

    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(linear_hook))
    try:
        with torch.no_grad():
            model(*inputs)
    finally:
        for h in hooks:
            h.remove()
    attn = sum(getattr(m, "last_flops", 0) for m in model.modules())
    return total[0] + attn
