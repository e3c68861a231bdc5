"""Summary statistics, identical in definition to src/core/eval/stats.ts."""
from __future__ import annotations

import math
from typing import Optional, Sequence


def mean_std(values: Sequence[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (n - 1; 0 for one value); NaN for no values."""
    n = len(values)
    if n == 0:
        return math.nan, math.nan
    mean = math.fsum(values) / n
    if n == 1:
        return mean, 0.0
    return mean, math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))


def pearson(xs: Sequence[float], ys: Sequence[float]) -> Optional[float]:
    """Pearson's correlation of paired samples; None when undefined (n < 2 or a constant sample)."""
    if len(xs) != len(ys):
        raise ValueError(f"pearson: {len(xs)} x values but {len(ys)} y values.")
    if len(xs) < 2:
        return None
    mx, _ = mean_std(xs)
    my, _ = mean_std(ys)
    sxy = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    syy = math.fsum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))
