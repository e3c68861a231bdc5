"""C2: the Python LR operator against the shared parity vectors, PIL and torch."""

import json
import os

import numpy as np
import torch
from PIL import Image

from training import lr
from training.make_parity import FORMULAS, Y_STRIDE, formula_image
from training.paths import REPO_ROOT

FIXTURE = os.path.join(REPO_ROOT, "test", "fixtures", "parity", "c2.json")


def load_cases():
    with open(FIXTURE) as fh:
        return json.load(fh)["cases"]


def hr_of(case):
    if case.get("hr_u8") is not None:
        return (np.array(case["hr_u8"], dtype=np.float64) / 255.0).astype(np.float32).reshape(128, 128, 3)
    return formula_image(case["formula"])


def test_keys_kernel_values():
    assert lr.keys(0.0) == 1.0
    assert lr.keys(1.0) == 0.0 and lr.keys(2.0) == 0.0
    assert abs(lr.keys(0.5) - 0.5625) < 1e-15  # (1.5)(1/8) - (2.5)(1/4) + 1
    assert abs(lr.keys(1.5) - (-0.0625)) < 1e-15


def test_taps_are_normalised_and_symmetric():
    for n_in, n_out in [(128, 16), (16, 128)]:
        taps = lr.axis_taps(n_in, n_out)
        for idx, w in taps:
            assert abs(sum(w) - 1.0) < 1e-12
            assert all(0 <= j < n_in for j in idx)
        first, last = taps[0], taps[-1]
        nz = [v for v in first[1] if v != 0.0]
        assert np.allclose(nz, [v for v in last[1] if v != 0.0][::-1])
    # Downscale by 8: interior outputs have 32 non-zero taps (support 2 * 8 on each side).
    idx, w = lr.axis_taps(128, 16)[8]
    assert sum(1 for v in w if v != 0.0) == 32


def test_parity_vectors():
    cases = load_cases()
    assert [c["name"] for c in cases[: len(FORMULAS)]] == [f["name"] for f in FORMULAS]
    for case in cases:
        hr = hr_of(case)
        down = lr.downscale(hr)
        low = lr.make_lr(hr)
        y = lr.upscale(low)
        assert np.array_equal(down.reshape(-1), np.array(case["downscale"], dtype=np.float32)), case["name"]
        assert np.array_equal(np.rint(low * 255).astype(int).reshape(-1), np.array(case["lr_u8"])), case["name"]
        assert np.array_equal(y.reshape(-1)[::Y_STRIDE], np.array(case["y_strided"], dtype=np.float32))
        assert abs(float(np.sum(y.astype(np.float64))) - case["y_sum"]) < 1e-9
        assert abs(float(np.sum(y.astype(np.float64) ** 2)) - case["y_sum_sq"]) < 1e-8


def test_matches_pil_and_torch_antialiased_bicubic():
    hr = formula_image(FORMULAS[0])
    pil = np.stack([np.asarray(Image.fromarray(hr[:, :, c], "F").resize((16, 16), Image.BICUBIC)) for c in range(3)], 2)
    assert np.abs(pil - lr.downscale(hr)).max() < 1e-6
    t = torch.from_numpy(hr).permute(2, 0, 1)[None].double()
    tt = torch.nn.functional.interpolate(t, size=(16, 16), mode="bicubic", antialias=True, align_corners=False)
    assert np.abs(tt[0].permute(1, 2, 0).numpy() - lr.downscale(hr)).max() < 1e-6


def test_lr_is_quantised_and_consistency_of_hr_is_small():
    hr = formula_image(FORMULAS[1])  # values outside [0, 1]
    low = lr.make_lr(hr)
    assert low.min() >= 0.0 and low.max() <= 1.0
    assert np.array_equal(low * 255, np.rint(low * 255))
    # The HR itself is consistent with its LR up to quantisation (<= 0.25 per value on the 0-255 scale when no clamp).
    face = hr_of(load_cases()[-1])
    assert lr.consistency(face, lr.make_lr(face)) <= 0.25
    assert lr.consistency(np.clip(face + 0.1, 0, 1), lr.make_lr(face)) > 100


def test_matrix_form_matches():
    hr = formula_image(FORMULAS[2]).astype(np.float64)
    m = lr.resize_matrix(128, 16)
    fast = np.einsum("ij,jkc,lk->ilc", m, hr, m)
    assert np.abs(fast - lr.downscale(hr)).max() < 1e-6
