"""C5: Philox4x32-10 known answers, the parity vectors, stream layout."""

import json
import os

import numpy as np

from training.noise import NoiseStream, normals_from_blocks, philox4x32_10, split_seed
from training.paths import REPO_ROOT

FIXTURE = os.path.join(REPO_ROOT, "test", "fixtures", "parity", "noise.json")


def test_random123_known_answers():
    kat = [
        ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
        ((0xFFFFFFFF,) * 4, (0xFFFFFFFF, 0xFFFFFFFF), (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
        (
            (0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344),
            (0xA4093822, 0x299F31D0),
            (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1),
        ),
    ]
    for ctr, key, want in kat:
        assert tuple(int(v) for v in philox4x32_10(np.array([ctr]), key)[0]) == want


def test_parity_vectors():
    with open(FIXTURE) as fh:
        cases = json.load(fh)["cases"]
    for c in cases:
        s = NoiseStream(int(c["seed"]), c["candidate"])
        first, second = s.next(c["n"]), s.next(c["n"])
        assert np.abs(first[:16] - np.array(c["first"], np.float32)).max() <= 1e-6
        assert np.abs(second[:16] - np.array(c["second"], np.float32)).max() <= 1e-6
        assert np.abs(first[-4:] - np.array(c["first_last"], np.float32)).max() <= 1e-6
        assert abs(float(np.sum(first.astype(np.float64))) - c["sum_first"]) < 1e-6 * c["n"]


def test_draws_start_at_new_blocks_and_streams_differ():
    a = NoiseStream(7, 0)
    first = a.next(6)  # uses blocks 0 and 1 (the second half-used)
    second = a.next(4)  # starts at block 2
    whole = NoiseStream(7, 0).next(12)
    assert np.array_equal(first, whole[:6])
    assert np.array_equal(second, whole[8:12])
    assert not np.array_equal(NoiseStream(7, 1).next(4), whole[:4])
    assert not np.array_equal(NoiseStream(8, 0).next(4), whole[:4])


def test_seed_split_and_normal_statistics():
    assert split_seed(2**64 - 1) == (0xFFFFFFFF, 0xFFFFFFFF)
    assert split_seed((5 << 32) | 9) == (9, 5)
    z = NoiseStream(123, 4).next(100_000)
    assert z.dtype == np.float32
    assert abs(float(z.mean())) < 0.02 and abs(float(z.std()) - 1) < 0.02
    # Box-Muller on a known block: u = 0.5 everywhere gives r = sqrt(2 ln 2), angle pi.
    blk = np.full((1, 4), 2**31 - 1, dtype=np.uint32)
    u = (2**31 - 1 + 0.5) / 2**32
    r = np.sqrt(-2 * np.log(u))
    assert np.allclose(normals_from_blocks(blk), [r * np.cos(2 * np.pi * u), r * np.sin(2 * np.pi * u)] * 2)
