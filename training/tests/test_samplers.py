"""Reference samplers on an analytic score (Gaussian data), C5 noise order, candidate independence."""

import math

import numpy as np
import pytest
import torch

from training.noise import NoiseStream
from training.samplers import PcConfig, karras_sigmas, sample_heun, sample_pc, streams_for
from training.sde import Sde

MU, S0 = 0.4, 0.1  # data: every pixel i.i.d. N(MU, S0^2) in [0,1] units


def gaussian_score(sde):
    mu = MU if sde.kind == "ve" else 2 * MU - 1
    s0 = S0 if sde.kind == "ve" else 2 * S0

    def score(x, y, t):
        m = sde.mean_coeff(t).view(-1, 1, 1, 1)
        std = sde.marginal_std(t).view(-1, 1, 1, 1)
        return -(x - m * mu) / (m * m * s0 * s0 + std * std)

    return score


def stats(x, sde):
    u = sde.to_unit_range(x)
    return float(u.mean()), float(u.std())


def test_heun_on_karras_schedule_recovers_the_data_distribution():
    sde = Sde("ve")
    y = torch.zeros(2, 3, 32, 32)
    errs = []
    for steps in (18, 40):
        mean, std = stats(sample_heun(sde, gaussian_score(sde), y, streams_for(5, 2), steps=steps), sde)
        assert abs(mean - MU) < 0.002
        errs.append(abs(std - S0))
    assert errs[1] < 0.005 and errs[1] < errs[0] / 3  # second order: the error shrinks ~ N^-2
    sig = karras_sigmas(sde, 18)
    assert sig[0] == pytest.approx(348.0) and sig[-1] == 0.0 and sig[-2] == pytest.approx(0.01 * 34800**1e-5)


@pytest.mark.parametrize("kind,cfg", [
    ("ve", PcConfig("reverse-diffusion", "none", 300)),
    ("ve", PcConfig("reverse-diffusion", "langevin", 150, 1, 0.16)),
    ("vp", PcConfig("euler-maruyama", "none", 300)),
    ("subvp", PcConfig("euler-maruyama", "none", 300)),
    ("vp", PcConfig("reverse-diffusion", "none", 300)),
])
def test_pc_samplers_recover_the_data_distribution(kind, cfg):
    sde = Sde(kind)
    y = torch.zeros(2, 3, 32, 32)
    x = sample_pc(sde, gaussian_score(sde), y, streams_for(9, 2), cfg)
    mean, std = stats(x, sde)
    assert abs(mean - MU) < 0.02 and abs(std - S0) < 0.02, (mean, std)


class CountingStream(NoiseStream):
    def __init__(self, seed, cand):
        super().__init__(seed, cand)
        self.sizes = []

    def next(self, n):
        self.sizes.append(n)
        return super().next(n)


def test_noise_draw_order():
    sde = Sde("ve")
    y = torch.zeros(1, 3, 8, 8)
    s = CountingStream(1, 0)
    sample_pc(sde, gaussian_score(sde), y, [s], PcConfig("reverse-diffusion", "langevin", 3, 2, 0.16))
    assert s.sizes == [192] * (1 + 3 * (2 + 1))  # prior, then per step: M corrector draws and one predictor draw
    s = CountingStream(1, 0)
    sample_heun(sde, gaussian_score(sde), y, [s], steps=5)
    assert s.sizes == [192]  # the deterministic ODE draws only the prior sample
    s = CountingStream(1, 0)
    sample_heun(sde, gaussian_score(sde), y, [s], steps=5, churn=2.0)
    assert s.sizes == [192] * 6
    # The prior sample is sigma_max times the first draw.
    s = NoiseStream(1, 0)
    x = sample_pc(sde, gaussian_score(sde), y, [NoiseStream(1, 0)], PcConfig("none", "none", 1))
    assert np.allclose(x.numpy().reshape(-1), 348.0 * s.next(192), rtol=1e-6)


def test_candidate_is_identical_alone_or_in_a_batch():
    sde = Sde("ve")
    y = torch.rand(3, 3, 16, 16)
    cfg = PcConfig("reverse-diffusion", "langevin", 20, 1, 0.16)
    batch = sample_pc(sde, gaussian_score(sde), y, streams_for(77, 3), cfg)
    alone = sample_pc(sde, gaussian_score(sde), y[2:3], streams_for(77, 1, first=2), cfg)
    assert torch.equal(batch[2:3], alone)
    assert not torch.equal(batch[0], batch[1])
    assert math.isfinite(float(batch.abs().max()))


def test_sampler_parity_fixture_regenerates():
    """test/fixtures/parity/sampler/sampler.json (for the TypeScript samplers) matches the current code."""
    import json
    import os

    from training.make_sampler_parity import OUT_DIR, results

    with open(os.path.join(OUT_DIR, "sampler.json")) as fh:
        want = json.load(fh)
    got = results()
    assert [c["name"] for c in got["cases"]] == [c["name"] for c in want["cases"]]
    for g, w in zip(got["cases"], want["cases"]):
        for gc, wc in zip(g["candidates"], w["candidates"]):
            assert np.allclose(gc["first"], wc["first"], rtol=1e-5, atol=1e-4)
            assert gc["sum_sq"] == pytest.approx(wc["sum_sq"], rel=1e-6)
