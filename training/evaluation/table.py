"""Table I in Markdown, the same layout as src/core/eval/table.ts (figures come from `facet eval report`)."""
from __future__ import annotations

from typing import Optional, Sequence

HEADER = "| Method | PSNR (dB) ↑ | SSIM ↑ | Consistency ↓ | CS ↑ | Rank-1 ↑ | NFE | Streak ≈1 |"


def _js_fixed(v: float, digits: int) -> str:
    # JavaScript's toFixed rounds the exact binary value half away from zero; Python's format rounds half to even
    # on the exact binary value. They differ only on exact binary ties, which the Decimal route reproduces.
    from decimal import ROUND_HALF_UP, Decimal

    return str(Decimal(v).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def format_mean_std(mean: Optional[float], std: Optional[float], digits: int) -> str:
    """`mean ± std`, or `∞` when undefined (e.g. PSNR of the HR itself)."""
    if mean is None or std is None:
        return "∞"
    return f"{_js_fixed(mean, digits)} ± {_js_fixed(std, digits)}"


def format_streak(streak: Optional[float]) -> str:
    """The streak column (issue 27), 3 decimals; `–` in results without it."""
    return "–" if streak is None else _js_fixed(streak, 3)


def markdown_table(methods: Sequence[dict]) -> str:
    """Rows of `methods` (results-JSON method objects) under the paper's header."""
    lines = [HEADER, "|---|---|---|---|---|---|---|---|"]
    for m in methods:
        s = m["summary"]
        lines.append(
            f"| {m['label']} | {format_mean_std(s['psnr']['mean'], s['psnr']['std'], 2)} | "
            f"{format_mean_std(s['ssim']['mean'], s['ssim']['std'], 3)} | "
            f"{format_mean_std(s['consistency']['mean'], s['consistency']['std'], 3)} | "
            f"{format_mean_std(s['cs']['mean'], s['cs']['std'], 3)} | {_js_fixed(100 * s['rank1'], 1)} % | {m['nfe']} | "
            f"{format_streak(s.get('streak'))} |"
        )
    return "\n".join(lines)
