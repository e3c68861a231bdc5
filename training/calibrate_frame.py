"""Measures the fixed per-dataset crop into the canonical frame C1 (DESIGN.md) from the mean face of each set.

The mean grey image of many faces of one set shows the eyes and the mouth line as dark blobs. We take the darkest
point (after a 5x5 box blur) inside a search window around each eye, the darkest row of the central band for the
mouth line (its x = the eyes' midpoint, by symmetry), and fit scale + translation that map (left eye, right eye,
mouth centre) onto the ArcFace template of C1 (eyes; mouth centre = midpoint of the two mouth corners) by least
squares. Run: FACET_SHARED_DIR=/work/shared /usr/bin/python3 -m training.calibrate_frame
"""

from __future__ import annotations

import os

import numpy as np
from PIL import Image

from .paths import shared_dir

# DESIGN.md C1: the ArcFace 112x112 template points, scaled by 128/112 into the 128x128 frame.
SCALE = 128.0 / 112.0
TEMPLATE_EYE_L = (38.2946 * SCALE, 51.6963 * SCALE)
TEMPLATE_EYE_R = (73.5318 * SCALE, 51.5014 * SCALE)
TEMPLATE_MOUTH = ((41.5493 + 70.7299) / 2 * SCALE, (92.3655 + 92.2041) / 2 * SCALE)

# Search windows (x0, x1, y0, y1) in source pixels for the left eye, the right eye and the mouth band, per set.
WINDOWS = {
    "utkface": ("train/utkface", ((30, 90, 35, 85), (110, 170, 35, 85), (80, 120, 115, 165)), 2000),
    "celeba": ("eval/celeba", ((50, 85, 95, 130), (93, 128, 95, 130), (74, 104, 135, 170)), 2000),
    "celebahq32": ("eval/celebahq32", ((36, 60, 52, 72), (70, 94, 52, 72), (50, 78, 85, 110)), 32),
    "ffhq1k": ("train/ffhq1k", ((75, 115, 100, 140), (140, 180, 100, 140), (110, 146, 165, 205)), 1100),
}


def mean_face(folder: str, limit: int) -> np.ndarray:
    """Mean grey image of up to `limit` files of a folder (evenly spread over the sorted names)."""
    names = sorted(f for f in os.listdir(folder) if f.lower().endswith((".jpg", ".png")))
    names = names[:: max(1, len(names) // limit)][:limit]
    acc = None
    for n in names:
        a = np.asarray(Image.open(os.path.join(folder, n)).convert("L"), dtype=np.float64)
        acc = a if acc is None else acc + a
    assert acc is not None
    return acc / len(names)


def box_blur(m: np.ndarray, k: int = 2) -> np.ndarray:
    """(2k+1)^2 box blur with edge padding."""
    p = np.pad(m, k, mode="edge")
    out = np.zeros_like(m)
    for dy in range(2 * k + 1):
        for dx in range(2 * k + 1):
            out += p[dy : dy + m.shape[0], dx : dx + m.shape[1]]
    return out / (2 * k + 1) ** 2


def darkest(m: np.ndarray, win: tuple[int, int, int, int]) -> tuple[float, float]:
    """(x, y) of the minimum of m inside the window, pixel centres at +0.5."""
    x0, x1, y0, y1 = win
    sub = m[y0:y1, x0:x1]
    iy, ix = np.unravel_index(int(np.argmin(sub)), sub.shape)
    return x0 + ix + 0.5, y0 + iy + 0.5


def fit_scale_translation(src: np.ndarray, dst: np.ndarray) -> tuple[float, float, float]:
    """Least-squares s, tx, ty with dst ~ s * src + t."""
    ps, qs = src - src.mean(0), dst - dst.mean(0)
    s = float((ps * qs).sum() / (ps * ps).sum())
    t = dst.mean(0) - s * src.mean(0)
    return s, float(t[0]), float(t[1])


def measure(name: str) -> dict[str, object]:
    """Landmarks of the mean face of one set and the fitted crop."""
    rel, (wl, wr, wm), limit = WINDOWS[name]
    m = box_blur(mean_face(os.path.join(shared_dir(), "data", rel), limit))
    el, er = darkest(m, wl), darkest(m, wr)
    x0, x1, y0, y1 = wm
    rows = m[y0:y1, x0:x1].mean(axis=1)
    mouth = ((el[0] + er[0]) / 2, y0 + int(np.argmin(rows)) + 0.5)
    src = np.array([el, er, mouth])
    dst = np.array([TEMPLATE_EYE_L, TEMPLATE_EYE_R, TEMPLATE_MOUTH])
    s, tx, ty = fit_scale_translation(src, dst)
    resid = float(np.sqrt(((s * src + [tx, ty] - dst) ** 2).sum(1).mean()))
    # Source box (left, top, right, bottom) that maps onto the 128x128 frame.
    box = (-tx / s, -ty / s, (128 - tx) / s, (128 - ty) / s)
    return {"eye_l": el, "eye_r": er, "mouth": mouth, "scale": s, "box": box, "rms_px": resid, "size": m.shape}


if __name__ == "__main__":
    for key in WINDOWS:
        r = measure(key)
        print(key, {k: (tuple(round(float(v), 2) for v in x) if isinstance(x, tuple) else x) for k, x in r.items()})
