"""DPM-Solver++ (the app's 'fast' preset) in Python: the committed cross-language record, accuracy on Gaussian
data, NFE and candidate independence."""

import json
import os

import numpy as np
import pytest
import torch

from training.make_dpm_parity import CASES, OUT, SEED, analytic_score, conditioning, run_case
from training.samplers import dpm_solver_grid, sample_dpm_solver, streams_for
from training.sde import Sde


def test_python_reproduces_the_committed_fixture_the_typescript_test_checks():
    with open(OUT) as fh:
        fixture = json.load(fh)
    assert fixture["seed"] == str(SEED) and len(fixture["cases"]) == len(CASES)
    for case, rec in zip(CASES, fixture["cases"]):
        assert {k: rec[k] for k in case} == case
        x = run_case(case).numpy().reshape(-1)
        assert np.abs(x - np.array(rec["x"])).max() < 1e-5, case


@pytest.mark.parametrize("kind", ["ve", "vp", "subvp"])
def test_fast_preset_recovers_the_gaussian_data_in_25_evaluations(kind):
    sde = Sde(kind)
    y = torch.full((2, 3, 32, 32), 0.4)
    calls = []
    score = analytic_score(sde)

    def counted(x, yy, t):
        calls.append(float(t[0]))
        return score(x, yy, t)

    x = sde.to_unit_range(sample_dpm_solver(sde, counted, y, streams_for(7, 2), steps=25, order=3))
    s0 = 0.1 if kind == "ve" else 0.05  # make_models' S0 is in the model's data range
    assert len(calls) == 25 and calls[0] == 1.0 and calls[-1] == pytest.approx(sde.eps)
    assert abs(float(x.mean()) - 0.4) < 0.005 and abs(float(x.std()) - s0) < 0.005 * s0 / 0.05


def test_grid_is_uniform_in_lambda_and_candidates_are_batch_independent():
    sde = Sde("vp")
    ts, lam = dpm_solver_grid(sde, 25)
    assert ts[0] == 1.0 and ts[-1] == sde.eps and np.allclose(np.diff(lam), lam[1] - lam[0])
    m, s = sde.mean_coeff(torch.tensor(ts)), sde.marginal_std(torch.tensor(ts))
    assert np.allclose(-np.log((s / m).numpy()), lam, atol=1e-9)
    y = conditioning()
    both = sample_dpm_solver(sde, analytic_score(sde), y, streams_for(SEED, 2), steps=10, order=3)
    alone = sample_dpm_solver(sde, analytic_score(sde), y[1:], streams_for(SEED, 1, first=1), steps=10, order=3)
    assert torch.allclose(both[1:], alone, atol=1e-6)
    with pytest.raises(ValueError):
        sample_dpm_solver(sde, analytic_score(sde), y, streams_for(SEED, 2), steps=10, order=4)
