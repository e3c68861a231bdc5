"""C2, the LR operator (docs/specs/c2-lr-operator.md), exactly: Keys bicubic (a = -0.5) with the kernel support
scaled by the factor, taps outside the image dropped, weights normalised, float64 arithmetic in the spec's order.

Images are HWC float arrays with values in [0, 1]. `resize_matrix` gives the same weights as a dense matrix for the
fast (float32, torch) path used in training, where bit-exactness does not matter.
"""

from __future__ import annotations

import math

import numpy as np

A = -0.5
HR_SIZE = 128
LR_SIZE = 16


def keys(x: float) -> float:
    """Keys cubic kernel with a = -0.5."""
    x = abs(x)
    if x <= 1.0:
        return (A + 2.0) * x**3 - (A + 3.0) * x**2 + 1.0
    if x < 2.0:
        return A * x**3 - 5.0 * A * x**2 + 8.0 * A * x - 4.0 * A
    return 0.0


def axis_taps(n_in: int, n_out: int) -> list[tuple[list[int], list[float]]]:
    """For each output index: the kept input indices (ascending) and their normalised float64 weights."""
    s = n_in / n_out
    scale = max(s, 1.0)
    w = 2.0 * scale
    out: list[tuple[list[int], list[float]]] = []
    for i in range(n_out):
        c = (i + 0.5) * s
        idx = [j for j in range(math.floor(c - w), math.ceil(c + w) + 1) if 0 <= j < n_in]
        raw = [keys((j + 0.5 - c) / scale) for j in idx]
        total = 0.0
        for v in raw:
            total += v
        out.append((idx, [v / total for v in raw]))
    return out


def resize_matrix(n_in: int, n_out: int) -> np.ndarray:
    """Dense [n_out, n_in] float64 matrix of the C2 weights (for the fast batched path)."""
    m = np.zeros((n_out, n_in), dtype=np.float64)
    for i, (idx, wts) in enumerate(axis_taps(n_in, n_out)):
        for j, v in zip(idx, wts):
            m[i, j] = v
    return m


def _resample_axis(img: np.ndarray, axis: int, n_out: int) -> np.ndarray:
    """Resample float64 HWC `img` along axis 0 (rows) or 1 (columns), tap by tap in ascending order."""
    n_in = img.shape[axis]
    taps = axis_taps(n_in, n_out)
    shape = list(img.shape)
    shape[axis] = n_out
    out = np.zeros(shape, dtype=np.float64)
    for i, (idx, wts) in enumerate(taps):
        acc = np.zeros([s for k, s in enumerate(img.shape) if k != axis], dtype=np.float64)
        for j, v in zip(idx, wts):
            acc = acc + v * np.take(img, j, axis=axis)
        if axis == 0:
            out[i] = acc
        else:
            out[:, i] = acc
    return out


def resize(img: np.ndarray, height: int, width: int) -> np.ndarray:
    """C2 resampling of an HWC image to (height, width): horizontal pass, then vertical; float32 result."""
    x = np.asarray(img, dtype=np.float64)
    x = _resample_axis(x, 1, width)
    x = _resample_axis(x, 0, height)
    return x.astype(np.float32)


def downscale(hr: np.ndarray) -> np.ndarray:
    """128x128 -> 16x16 (s = 8), not quantised."""
    return resize(hr, LR_SIZE, LR_SIZE)


def quantise(v: np.ndarray) -> np.ndarray:
    """floor(clamp(v, 0, 1) * 255 + 0.5) / 255 in float64, returned as float32 (exact 8-bit values)."""
    x = np.clip(np.asarray(v, dtype=np.float64), 0.0, 1.0)
    return (np.floor(x * 255.0 + 0.5) / 255.0).astype(np.float32)


def make_lr(hr: np.ndarray) -> np.ndarray:
    """LR = quantise(downscale(HR)), 16x16x3."""
    return quantise(downscale(hr))


def upscale(lr: np.ndarray) -> np.ndarray:
    """y = upscale(LR): 16x16 -> 128x128 (s = 1/8), neither clamped nor quantised."""
    return resize(lr, HR_SIZE, HR_SIZE)


def consistency(sr: np.ndarray, lr: np.ndarray) -> float:
    """Mean of (255 downscale(SR) - 255 LR)^2 over the 16x16x3 values."""
    d = 255.0 * downscale(sr).astype(np.float64) - 255.0 * np.asarray(lr, dtype=np.float64)
    return float(np.mean(d * d))
