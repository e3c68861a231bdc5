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


def streak_of(method_mean: Optional[float], hr_mean: float) -> Optional[float]:
    """Mean gradient ratio of a method over the HR's; None when either is undefined or the HR's is 0."""
    return None if method_mean is None or not hr_mean > 0 else method_mean / hr_mean


def summarise_method(per_face: Sequence[dict], hr_gradient_ratio_mean: Optional[float] = None) -> dict:
    """Mean ± std of PSNR, SSIM, consistency, CS; rank-1 rate; Pearson of per-face CS vs PSNR; with per-face
    gradient ratios their mean ± std and, given the HR faces' mean ratio, the streak column (issue 27)."""
    if not per_face:
        raise ValueError("summarise_method: no faces.")
    paired = [f for f in per_face if f["psnr"] is not None]
    out = {
        "psnr": _summarise([f["psnr"] for f in per_face]),
        "ssim": _summarise([f["ssim"] for f in per_face]),
        "consistency": _summarise([f["consistency"] for f in per_face]),
        "cs": _summarise([f["cs"] for f in per_face]),
        "rank1": sum(1 for f in per_face if f["rank1Hit"]) / len(per_face),
        "pearsonCsPsnr": pearson([f["cs"] for f in paired], [f["psnr"] for f in paired]),
    }
    if all("gradientRatio" in f for f in per_face):
        out["gradientRatio"] = _summarise([f["gradientRatio"] for f in per_face])
        if hr_gradient_ratio_mean is not None:
            out["streak"] = streak_of(out["gradientRatio"]["mean"], hr_gradient_ratio_mean)
    return out
