"""Mapping of each data set into the canonical frame C1 (DESIGN.md) by a fixed, calibrated crop per set.

The boxes (left, top, right, bottom, in source pixels) come from `calibrate_frame.py` (mean-face landmarks fitted
to the ArcFace template by scale + translation; see training/README.md). Parts of a box outside the source image
are filled by edge replication (UTKFace is framed tighter than C1, so its box extends past the image).
"""

from __future__ import annotations

import numpy as np
from PIL import Image

FRAME = 128

# Measured by `python3 -m training.calibrate_frame` (rounded to 0.01 px).
BOXES: dict[str, tuple[float, float, float, float]] = {
    "utkface": (-17.12, -50.98, 215.17, 181.31),
    "celeba": (29.63, 56.41, 148.39, 175.16),
    "celebahq32": (16.17, 15.59, 112.85, 112.26),
    "ffhq1k": (31.42, 29.85, 225.62, 224.05),
    "c1": (0.0, 0.0, 128.0, 128.0),
}


def to_frame(img: Image.Image, dataset: str, size: int = FRAME) -> np.ndarray:
    """The C1 crop (size x size x 3 uint8) of a source image of `dataset` (antialiased bicubic resampling)."""
    left, top, right, bottom = BOXES[dataset]
    a = np.asarray(img.convert("RGB"))
    h, w = a.shape[:2]
    pad = int(np.ceil(max(0.0, -left, -top, right - w, bottom - h))) + 2
    if pad > 2 or left < 0 or top < 0:
        a = np.pad(a, ((pad, pad), (pad, pad), (0, 0)), mode="edge")
    else:
        pad = 0
    src = Image.fromarray(a)
    box = (left + pad, top + pad, right + pad, bottom + pad)
    return np.asarray(src.resize((size, size), Image.BICUBIC, box=box))


def jittered_frame(img: Image.Image, dataset: str, dx: float, dy: float, scale: float, angle: float,
                   size: int = FRAME) -> np.ndarray:
    """The C1 crop of a source image as a hand-placed alignment would give it: the frame shifted by (dx, dy) C1
    pixels, scaled by `scale` about its centre and rotated by `angle` degrees. The source is rotated about the box
    centre first, so the final resize still antialiases (a plain affine warp would alias on this 1.5x downscale).
    Only for sets whose box lies well inside the image (ffhq1k: >= 29 px margin), so no padding enters."""
    left, top, right, bottom = BOXES[dataset]
    cx, cy = (left + right) / 2, (top + bottom) / 2
    half_w, half_h = (right - left) / 2 * scale, (bottom - top) / 2 * scale
    px = (right - left) / size  # source pixels per C1 pixel
    cx, cy = cx + dx * px, cy + dy * px
    rgb = img.convert("RGB")
    if angle:
        rgb = rgb.rotate(angle, resample=Image.BICUBIC, center=(cx, cy))
    box = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
    return np.asarray(rgb.resize((size, size), Image.BICUBIC, box=box))


def valid_fraction(dataset: str, width: int, height: int) -> float:
    """Fraction of the C1 frame that comes from inside the source image (the rest is edge padding)."""
    left, top, right, bottom = BOXES[dataset]
    fx = (min(right, width) - max(left, 0.0)) / (right - left)
    fy = (min(bottom, height) - max(top, 0.0)) / (bottom - top)
    return max(0.0, fx) * max(0.0, fy)


def valid_mask(dataset: str, width: int, height: int, size: int = FRAME) -> np.ndarray:
    """[size, size] float32: 1 where the C1 pixel centre maps inside the source image, 0 in the padding."""
    left, top, right, bottom = BOXES[dataset]
    c = (np.arange(size) + 0.5) / size
    xs = left + c * (right - left)
    ys = top + c * (bottom - top)
    return (((ys >= 0) & (ys < height))[:, None] & ((xs >= 0) & (xs < width))[None, :]).astype(np.float32)
