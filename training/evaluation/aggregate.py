"""Per-method summaries, identical to src/core/eval/aggregate.ts."""
from __future__ import annotations

import math
from typing import Optional, Sequence

from .stats import mean_std, pearson


def _summarise(values: Sequence[Optional[float]]) -> dict:
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return {"mean": None, "std": None, "n": 0}
    m, s = mean_std(finite)
    return {"mean": m, "std": s, "n": len(finite)}


def summarise_method(per_face: Sequence[dict]) -> dict:
    """Mean ± std of PSNR, SSIM, consistency, CS; rank-1 rate; Pearson of per-face CS vs PSNR."""
    if not per_face:
        raise ValueError("summarise_method: no faces.")
    paired = [f for f in per_face if f["psnr"] is not None]
    return {
        "psnr": _summarise([f["psnr"] for f in per_face]),
        "ssim": _summarise([f["ssim"] for f in per_face]),
        "consistency": _summarise([f["consistency"] for f in per_face]),
        "cs": _summarise([f["cs"] for f in per_face]),
        "rank1": sum(1 for f in per_face if f["rank1Hit"]) / len(per_face),
        "pearsonCsPsnr": pearson([f["cs"] for f in paired], [f["psnr"] for f in paired]),
    }
