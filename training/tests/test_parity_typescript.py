"""Cross-language parity, the other direction: vectors written by the TypeScript core
(tools/fixtures/core-parity-vectors.ts -> test/fixtures/core/parity-vectors.json) are reproduced by training/."""

import json
import os

import numpy as np

from training.lr import quantise, resize
from training.noise import NoiseStream, philox4x32_10
from training.paths import REPO_ROOT

FIXTURE = os.path.join(REPO_ROOT, "test", "fixtures", "core", "parity-vectors.json")


def _doc():
    with open(FIXTURE, encoding="utf-8") as f:
        return json.load(f)


def test_philox_and_noise_match_typescript():
    doc = _doc()
    for p in doc["philox"]:
        out = philox4x32_10(np.array([p["counter"]], dtype=np.uint64), tuple(p["key"]))
        assert [int(v) for v in out.reshape(-1)] == p["output"]
    for c in doc["noise"]:
        stream = NoiseStream(int(c["seed"]), c["candidate"])
        for n, expected in zip(c["draws"], c["normals"]):
            got = stream.next(n)
            np.testing.assert_array_equal(got, np.array(expected, dtype=np.float32))


def test_c2_matches_typescript():
    c2 = _doc()["c2"]
    hr = np.array(c2["hr"]["data"], dtype=np.float32).reshape(c2["hr"]["height"], c2["hr"]["width"], 3)
    h, w = hr.shape[:2]  # a small image: the x8 operators at a size of the fixture's choosing
    down = resize(hr, h // 8, w // 8)
    np.testing.assert_array_equal(down.reshape(-1), np.array(c2["downscale"], dtype=np.float32))
    lr = quantise(down)
    np.testing.assert_array_equal(lr.reshape(-1), np.array(c2["lr"], dtype=np.float32))
    np.testing.assert_array_equal(resize(lr, h, w).reshape(-1), np.array(c2["conditioning"], dtype=np.float32))
