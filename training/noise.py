"""C5 seeded noise (docs/specs/c5-noise.md): Philox4x32-10 streams keyed by the run seed, one stream per candidate,
Box-Muller normals in float64 rounded to float32. Vectorised over blocks with numpy uint64 arithmetic."""

from __future__ import annotations

import numpy as np

M0 = np.uint64(0xD2511F53)
M1 = np.uint64(0xCD9E8D57)
W0 = 0x9E3779B9
W1 = 0xBB67AE85
MASK = np.uint64(0xFFFFFFFF)
SHIFT = np.uint64(32)


def philox4x32_10(counter: np.ndarray, key: tuple[int, int]) -> np.ndarray:
    """Philox4x32-10 on counters [n, 4] (uint32) with key (k0, k1); returns [n, 4] uint32."""
    c = np.asarray(counter, dtype=np.uint64).reshape(-1, 4) & MASK
    c0, c1, c2, c3 = c[:, 0], c[:, 1], c[:, 2], c[:, 3]
    k0, k1 = int(key[0]) & 0xFFFFFFFF, int(key[1]) & 0xFFFFFFFF
    for r in range(10):
        if r > 0:
            k0 = (k0 + W0) & 0xFFFFFFFF
            k1 = (k1 + W1) & 0xFFFFFFFF
        p0 = M0 * c0
        p1 = M1 * c2
        hi0, lo0 = p0 >> SHIFT, p0 & MASK
        hi1, lo1 = p1 >> SHIFT, p1 & MASK
        c0, c1, c2, c3 = hi1 ^ c1 ^ np.uint64(k0), lo1, hi0 ^ c3 ^ np.uint64(k1), lo0
    return np.stack([c0, c1, c2, c3], axis=1).astype(np.uint32)


def split_seed(seed: int) -> tuple[int, int]:
    """(seed_lo, seed_hi) of an unsigned 64-bit seed."""
    if not 0 <= seed < 2**64:
        raise ValueError(f"seed must be an unsigned 64-bit integer, got {seed}")
    return seed & 0xFFFFFFFF, seed >> 32


def normals_from_blocks(blocks: np.ndarray) -> np.ndarray:
    """Box-Muller on each block's (u0, u1), (u2, u3); float64 then float32, order z0..z3 block by block."""
    u = (blocks.astype(np.float64) + 0.5) / 4294967296.0
    r01 = np.sqrt(-2.0 * np.log(u[:, 0]))
    r23 = np.sqrt(-2.0 * np.log(u[:, 2]))
    z = np.stack(
        [
            r01 * np.cos(2.0 * np.pi * u[:, 1]),
            r01 * np.sin(2.0 * np.pi * u[:, 1]),
            r23 * np.cos(2.0 * np.pi * u[:, 3]),
            r23 * np.sin(2.0 * np.pi * u[:, 3]),
        ],
        axis=1,
    )
    return z.reshape(-1).astype(np.float32)


class NoiseStream:
    """The stream of candidate `candidate` of a run with `seed`: draws of n normals, each starting at a new block."""

    def __init__(self, seed: int, candidate: int) -> None:
        if not 0 <= candidate < 2**32:
            raise ValueError(f"candidate must be in [0, 2^32), got {candidate}")
        self.key = split_seed(seed)
        self.candidate = candidate
        self.block = 0

    def next(self, n: int) -> np.ndarray:
        """The next draw of n float32 normals."""
        nb = (n + 3) // 4
        b = np.arange(self.block, self.block + nb, dtype=np.uint64)
        ctr = np.stack(
            [b & MASK, b >> SHIFT, np.full(nb, self.candidate, np.uint64), np.zeros(nb, np.uint64)], axis=1
        )
        self.block += nb
        return normals_from_blocks(philox4x32_10(ctr, self.key))[:n]
