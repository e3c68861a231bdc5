"""The streak check: learned edge-replication padding shows as vertical streaks in the top of the frame.

UTKFace mapped into C1 leaves about 27 top rows of padding (training/README.md), which a model trained on it paints
as vertical streaks. Streaks have strong horizontal gradients (across columns) and weak vertical ones, so the ratio
of horizontal to vertical gradient energy in the top 27 rows, divided by the same ratio of the real face, is about
1 for a faithful image and well above 1 for streaks. `src/core/eval` computes the same number for `facet eval`.
"""

from __future__ import annotations

import torch
from torch import Tensor

STREAK_ROWS = 27  # top rows of C1 that are padding in UTKFace faces (27.5 measured on 1,000 training faces)


def gradient_ratio(img: Tensor, rows: int = STREAK_ROWS) -> Tensor:
    """[B] ratio sum(d/dx)^2 / sum(d/dy)^2 over the top `rows` rows of images [B,C,H,W] (grey = channel mean)."""
    g = img.float().mean(1)[:, :rows]
    gx = (g[:, :, 1:] - g[:, :, :-1]).pow(2).flatten(1).sum(1)
    gy = (g[:, 1:, :] - g[:, :-1, :]).pow(2).flatten(1).sum(1)
    return gx / gy.clamp_min(1e-12)


def streak_ratio(img: Tensor, hr: Tensor, rows: int = STREAK_ROWS) -> float:
    """Mean gradient ratio of `img` over the mean gradient ratio of the real faces `hr` (1: as real faces)."""
    return float(gradient_ratio(img, rows).mean() / gradient_ratio(hr, rows).mean())
