"""Rank-1 identification against a gallery holding a different photo of every identity (src/core/eval/identification.ts)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity with float64 accumulation; 0 when either vector is all zeros."""
    if a.shape != b.shape:
        raise ValueError(f"cosine: vectors of length {a.size} and {b.size}.")
    a = a.astype(np.float64).ravel()
    b = b.astype(np.float64).ravel()
    aa, bb = float(a @ a), float(b @ b)
    if aa == 0 or bb == 0:
        return 0.0
    return float(a @ b) / math.sqrt(aa * bb)


@dataclass(frozen=True)
class Rank1Match:
    """Best gallery identity, its score, and whether it is the probe's own identity."""

    identity: str
    score: float
    hit: bool


def rank1(probe: np.ndarray, identity: str, gallery: Sequence[tuple[str, np.ndarray]]) -> Rank1Match:
    """Rank-1 match of one probe; ties go to the earlier gallery entry."""
    if not gallery:
        raise ValueError("rank1: the gallery is empty.")
    if not any(g == identity for g, _ in gallery):
        raise ValueError(f"rank1: identity {identity} has no photo in the gallery.")
    best, best_id = -math.inf, ""
    for g, emb in gallery:
        s = cosine(probe, emb)
        if s > best:
            best, best_id = s, g
    return Rank1Match(best_id, best, best_id == identity)
