"""A conditional U-Net in the spirit of DDPM/NCSN++: input concat(x_t, y), sinusoidal time embedding, residual
blocks with scale-shift conditioning, self-attention at low resolution."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import Tensor, nn


@dataclass(frozen=True)
class UNetConfig:
    """Sizes of the network."""

    ch: int = 32
    ch_mult: tuple[int, ...] = (1, 2, 4, 8)
    num_res_blocks: int = 2
    attn_resolutions: tuple[int, ...] = (16,)
    dropout: float = 0.0
    in_ch: int = 6
    out_ch: int = 3
    resolution: int = 128
    extra: dict[str, int] = field(default_factory=dict)


def groups(ch: int) -> int:
    """GroupNorm groups: 32 where the channels allow, else fewer."""
    for g in (32, 16, 8, 4, 2, 1):
        if ch % g == 0 and ch // g >= 2:
            return g
    return 1


def timestep_embedding(t: Tensor, dim: int) -> Tensor:
    """Sinusoidal embedding of 1000 t (DDPM's), [B] -> [B, dim]."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, device=t.device, dtype=torch.float32) / half)
    args = (1000.0 * t.float())[:, None] * freqs[None, :]
    return torch.cat([torch.sin(args), torch.cos(args)], dim=1)


class ResBlock(nn.Module):
    """GroupNorm-SiLU-conv twice, scale-shift from the embedding, skip (1x1 if widths differ), sum / sqrt 2."""

    def __init__(self, cin: int, cout: int, emb: int, dropout: float) -> None:
        super().__init__()
        self.norm1 = nn.GroupNorm(groups(cin), cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.emb = nn.Linear(emb, 2 * cout)
        self.norm2 = nn.GroupNorm(groups(cout), cout)
        self.drop = nn.Dropout(dropout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        nn.init.zeros_(self.conv2.weight)
        nn.init.zeros_(self.conv2.bias)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x: Tensor, emb: Tensor) -> Tensor:
        h = self.conv1(F.silu(self.norm1(x)))
        scale, shift = self.emb(emb)[:, :, None, None].chunk(2, dim=1)
        h = self.norm2(h) * (1.0 + scale) + shift
        h = self.conv2(self.drop(F.silu(h)))
        return (self.skip(x) + h) * (1.0 / math.sqrt(2.0))


class Attention(nn.Module):
    """Single-head self-attention over the pixels; counts its matmul FLOPs in `last_flops`."""

    def __init__(self, ch: int) -> None:
        super().__init__()
        self.norm = nn.GroupNorm(groups(ch), ch)
        self.qkv = nn.Conv2d(ch, 3 * ch, 1)
        self.proj = nn.Conv2d(ch, ch, 1)
        nn.init.zeros_(self.proj.weight)
        nn.init.zeros_(self.proj.bias)
        self.last_flops = 0

    def forward(self, x: Tensor) -> Tensor:
        b, c, h, w = x.shape
        q, k, v = self.qkv(self.norm(x)).reshape(-1, 3, c, h * w).unbind(1)
        self.last_flops = 2 * 2 * b * (h * w) * (h * w) * c
        sdpa = getattr(F, "scaled_dot_product_attention", None)
        if sdpa is not None and not torch.onnx.is_in_onnx_export():
            out = sdpa(q.transpose(1, 2)[:, None], k.transpose(1, 2)[:, None], v.transpose(1, 2)[:, None])
            out = out[:, 0].transpose(1, 2)
        else:
            attn = torch.softmax(torch.bmm(q.transpose(1, 2), k) * (1.0 / math.sqrt(c)), dim=-1)
            out = torch.bmm(v, attn.transpose(1, 2))
        return (x + self.proj(out.reshape(-1, c, h, w))) * (1.0 / math.sqrt(2.0))


class UNet(nn.Module):
    """F(concat(x, y), t) -> [B, out_ch, H, W]."""

    def __init__(self, cfg: UNetConfig) -> None:
        super().__init__()
        self.cfg = cfg
        ch, emb = cfg.ch, cfg.ch * 4
        self.emb = nn.Sequential(nn.Linear(ch, emb), nn.SiLU(), nn.Linear(emb, emb))
        self.conv_in = nn.Conv2d(cfg.in_ch, ch, 3, padding=1)
        self.down = nn.ModuleList()
        widths = [ch]
        cur, res = ch, cfg.resolution
        for level, mult in enumerate(cfg.ch_mult):
            for _ in range(cfg.num_res_blocks):
                blocks = nn.ModuleList([ResBlock(cur, ch * mult, emb, cfg.dropout)])
                cur = ch * mult
                if res in cfg.attn_resolutions:
                    blocks.append(Attention(cur))
                self.down.append(blocks)
                widths.append(cur)
            if level != len(cfg.ch_mult) - 1:
                self.down.append(nn.ModuleList([nn.Conv2d(cur, cur, 3, stride=2, padding=1)]))
                widths.append(cur)
                res //= 2
        self.mid = nn.ModuleList([ResBlock(cur, cur, emb, cfg.dropout), Attention(cur), ResBlock(cur, cur, emb, cfg.dropout)])
        self.up = nn.ModuleList()
        for level, mult in reversed(list(enumerate(cfg.ch_mult))):
            for _ in range(cfg.num_res_blocks + 1):
                blocks = nn.ModuleList([ResBlock(cur + widths.pop(), ch * mult, emb, cfg.dropout)])
                cur = ch * mult
                if res in cfg.attn_resolutions:
                    blocks.append(Attention(cur))
                self.up.append(blocks)
            if level != 0:
                self.up.append(nn.ModuleList([nn.Upsample(scale_factor=2.0, mode="nearest"), nn.Conv2d(cur, cur, 3, padding=1)]))
                res *= 2
        self.norm_out = nn.GroupNorm(groups(cur), cur)
        self.conv_out = nn.Conv2d(cur, cfg.out_ch, 3, padding=1)
        nn.init.zeros_(self.conv_out.weight)
        nn.init.zeros_(self.conv_out.bias)

    @staticmethod
    def _run(blocks: nn.ModuleList, h: Tensor, emb: Tensor) -> Tensor:
        for m in blocks:
            h = m(h, emb) if isinstance(m, ResBlock) else m(h)
        return h

    def forward(self, x: Tensor, t: Tensor) -> Tensor:
        emb = self.emb(timestep_embedding(t, self.cfg.ch).to(x.dtype))
        h = self.conv_in(x)
        skips = [h]
        for blocks in self.down:
            h = self._run(blocks, h, emb)
            skips.append(h)
        h = self._run(self.mid, h, emb)
        for blocks in self.up:
            if isinstance(blocks[0], ResBlock):
                h = torch.cat([h, skips.pop()], dim=1)
            h = self._run(blocks, h, emb)
        return self.conv_out(F.silu(self.norm_out(h)))
