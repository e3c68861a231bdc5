"""Image helpers of the evaluator (src/main/eval/images.ts): 8-bit quantisation and hashing."""
from __future__ import annotations

import hashlib

import numpy as np


def to_bytes(img: np.ndarray) -> np.ndarray:
    """HWC float image -> uint8, clamped to [0,1] and rounded half away from zero (as Math.round for v >= 0)."""
    return np.floor(np.clip(img.astype(np.float64), 0, 1) * 255 + 0.5).astype(np.uint8)


def quantise8(img: np.ndarray) -> np.ndarray:
    """The image clamped and rounded to 8 bits, as float32 in [0,1]."""
    return (to_bytes(img).astype(np.float64) / 255).astype(np.float32)


def image_sha256(img: np.ndarray) -> str:
    """SHA-256 of the image's 8-bit RGB bytes, row-major HWC."""
    return hashlib.sha256(np.ascontiguousarray(to_bytes(img)).tobytes()).hexdigest()
