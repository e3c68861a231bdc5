"""Writes the cross-language parity vectors test/fixtures/parity/c2.json and noise.json (C2, C5).

Run from the repo root: FACET_SHARED_DIR=/work/shared /usr/bin/python3 -m training.make_parity
The images are formula-generated (reproducible anywhere) plus one real face (celebahq32/00.png mapped to C1).
"""

from __future__ import annotations

import json
import os

import numpy as np

from .data import celebahq32_files, load_c1
from .lr import downscale, make_lr, upscale
from .noise import NoiseStream
from .paths import REPO_ROOT

OUT_DIR = os.path.join(REPO_ROOT, "test", "fixtures", "parity")


FORMULAS = [
    {"name": "pattern", "a": 7, "b": 13, "c": 101, "m": 29, "off": 0, "div": 255},
    {"name": "overshoot", "a": 37, "b": 11, "c": 53, "m": 7, "off": 64, "div": 127},
    {"name": "stripes", "a": 96, "b": 0, "c": 0, "m": 1, "off": 0, "div": 255},
]
Y_STRIDE = 37


def formula_image(f: dict[str, int | str]) -> np.ndarray:
    """hr[y, x, c] = float32((((a x + b y + c ch + (x y mod m)) mod 256) - off) / div), computed in float64."""
    yy, xx, cc = np.meshgrid(np.arange(128), np.arange(128), np.arange(3), indexing="ij")
    a, b, c, m, off, div = (int(f[k]) for k in ("a", "b", "c", "m", "off", "div"))
    v = (a * xx + b * yy + c * cc + (xx * yy) % m) % 256
    return ((v.astype(np.float64) - off) / div).astype(np.float32)


def rounded(a: np.ndarray) -> list[float]:
    """Float32 values as JSON numbers that round-trip to the same float32 (9 significant digits)."""
    return [float(f"{float(v):.9g}") for v in np.asarray(a, dtype=np.float32).reshape(-1)]


def c2_case(name: str, hr: np.ndarray) -> dict[str, object]:
    """Expected downscale, LR and y (every Y_STRIDE-th value plus float64 sums) of one HR image."""
    lr = make_lr(hr)
    y = upscale(lr).reshape(-1)
    return {
        "name": name,
        "downscale": rounded(downscale(hr)),
        "lr_u8": np.rint(lr * 255).astype(int).reshape(-1).tolist(),
        "y_strided": rounded(y[::Y_STRIDE]),
        "y_sum": float(np.sum(y.astype(np.float64))),
        "y_sum_sq": float(np.sum(y.astype(np.float64) ** 2)),
    }


def c2_vectors() -> dict[str, object]:
    """Formula images (parameters given) and one real face (8-bit HR given)."""
    cases = []
    for f in FORMULAS:
        case = c2_case(str(f["name"]), formula_image(f))
        case["formula"] = f
        cases.append(case)
    face = load_c1(celebahq32_files()[0])
    case = c2_case("face_celebahq32_00", (face.astype(np.float64) / 255.0).astype(np.float32))
    case["hr_u8"] = face.reshape(-1).astype(int).tolist()
    cases.append(case)
    return {
        "spec": "docs/specs/c2-lr-operator.md",
        "layout": "HWC row-major; HR and y 128x128x3, downscale and LR 16x16x3",
        "hr": "float32(hr_u8 / 255 in float64) when hr_u8 is given, else the formula: float32((((a*x + b*y + c*ch + "
        "((x*y) mod m)) mod 256) - off) / div) computed in float64, x = column, y = row, ch = channel",
        "y_strided": f"y.flat[0::{Y_STRIDE}]; y_sum and y_sum_sq are float64 sums over all of y",
        "generator": "python3 -m training.make_parity",
        "cases": cases,
    }


def noise_vectors() -> dict[str, object]:
    """First normals of the first and second draws for a few (seed, candidate, draw size)."""
    cases = []
    for seed, cand, n in [(0, 0, 8), (42, 0, 49152), (42, 1, 49152), (18446744073709551615, 7, 6), (2**32 + 5, 3, 13)]:
        s = NoiseStream(seed, cand)
        first, second = s.next(n), s.next(n)
        cases.append(
            {
                "seed": str(seed),
                "candidate": cand,
                "n": n,
                "first": rounded(first[:16]),
                "second": rounded(second[:16]),
                "first_last": rounded(first[-4:]),
                "sum_first": float(np.sum(first.astype(np.float64))),
            }
        )
    return {"spec": "docs/specs/c5-noise.md", "generator": "python3 -m training.make_parity", "cases": cases}


def main() -> None:
    """Writes both fixture files."""
    os.makedirs(OUT_DIR, exist_ok=True)
    for name, obj in [("c2.json", c2_vectors()), ("noise.json", noise_vectors())]:
        path = os.path.join(OUT_DIR, name)
        with open(path, "w") as fh:
            json.dump(obj, fh, separators=(",", ":"))
            fh.write("\n")
        print(path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
