"""SDE perturbation kernels against DESIGN.md's table, and the DSM loss at known inputs against hand-computed values."""

import math

import pytest
import torch
from torch import nn

from training.losses import dsm_loss, edm_t, sample_t
from training.model import ScoreModel
from training.sde import Sde
from training.config import CONFIGS

TINY = CONFIGS["tiny"]


def design_kernel(kind, t):
    """(mean coefficient, std) straight from DESIGN.md section 1 with the paper's parameters."""
    smin, smax, bmin, bmax = 0.01, 348.0, 0.1, 20.0
    if kind == "ve":
        return 1.0, smin * (smax / smin) ** t
    m = math.exp(-0.25 * t * t * (bmax - bmin) - 0.5 * t * bmin)
    return m, (math.sqrt(1 - m * m) if kind == "vp" else 1 - m * m)


@pytest.mark.parametrize("kind", ["ve", "vp", "subvp"])
def test_kernel_matches_design(kind):
    sde = Sde(kind)
    for t in [1e-5, 1e-3, 0.1, 0.5, 0.9, 1.0]:
        m, s = design_kernel(kind, t)
        tt = torch.tensor([t], dtype=torch.float64)
        assert abs(float(sde.mean_coeff(tt)) - m) < 1e-12
        assert abs(float(sde.marginal_std(tt)) - s) < 1e-9 * max(1.0, s)
    assert sde.eps == (1e-5 if kind == "ve" else 1e-3)


@pytest.mark.parametrize("kind", ["ve", "vp", "subvp"])
def test_kernel_variance_solves_the_sde(kind):
    # For linear SDEs the kernel variance v(t) obeys dv/dt = 2 a(t) v + g(t)^2 with f = a(t) x, and v(0) = 0
    # (VE: sigma(0) is taken as 0 in the table, so check the ODE only).
    sde = Sde(kind)
    for t in [0.05, 0.3, 0.7]:
        h = 1e-6
        tt = torch.tensor([t - h, t, t + h], dtype=torch.float64)
        v = sde.marginal_std(tt) ** 2
        dv = float(v[2] - v[0]) / (2 * h)
        x = torch.ones(1, 1, 1, 1, dtype=torch.float64)
        f, g = sde.drift_diffusion(x, tt[1:2])
        a = float(f.flatten()[0])
        assert abs(dv - (2 * a * float(v[1]) + float(g[0]) ** 2)) < 1e-4 * max(1.0, abs(dv))
    if kind != "ve":
        assert float(sde.marginal_std(torch.tensor([0.0], dtype=torch.float64))) == 0.0


class InputEcho(nn.Module):
    """Stub network F(h, t) = the first three input channels (the SDE state as the model sees it)."""

    def forward(self, h, t):
        return h[:, :3]


@pytest.mark.parametrize("kind", ["ve", "vp", "subvp"])
def test_dsm_loss_hand_computed(kind):
    model = ScoreModel(Sde(kind), TINY)
    model.net = InputEcho()
    t_val, x0_val, z_val = 0.5, 0.25, 1.0
    x0 = torch.full((1, 3, 4, 4), x0_val, dtype=torch.float64)
    z = torch.full_like(x0, z_val)
    y = torch.zeros_like(x0)
    loss = float(dsm_loss(model, model.sde, x0, y, torch.tensor([t_val], dtype=torch.float64), z)[0])
    m, s = design_kernel(kind, t_val)
    xt = m * x0_val + s * z_val
    if kind == "ve":  # score = (2 x_t - 1) / sigma
        want = ((2 * xt - 1) + z_val) ** 2
    else:  # score = -x_t / std
        want = (z_val - xt) ** 2
    assert loss == pytest.approx(want, rel=2e-5)  # the model evaluates std(t) in float32


def test_loss_is_zero_for_the_true_score_of_a_point_mass():
    # If all data is the single image x0, the true score of p_t at x_t is -(x_t - m x0) / std^2 = -z / std.
    sde = Sde("vp")

    class TrueScore(ScoreModel):
        def forward(self, x, y, t):
            m = sde.mean_coeff(t).view(-1, 1, 1, 1)
            s = sde.marginal_std(t).view(-1, 1, 1, 1)
            return -(x - m * 0.3) / s**2

    model = TrueScore(sde, TINY)
    x0 = torch.full((2, 3, 4, 4), 0.3, dtype=torch.float64)
    z = torch.randn_like(x0)
    loss = dsm_loss(model, sde, x0, x0, torch.tensor([0.2, 0.8], dtype=torch.float64), z)
    assert float(loss.abs().max()) < 1e-20


def test_time_sampling_ranges():
    for kind in ["ve", "vp"]:
        sde = Sde(kind)
        t = sample_t(sde, 10_000, torch.device("cpu"))
        assert float(t.min()) >= sde.eps and float(t.max()) <= 1.0
        assert abs(float(t.mean()) - (1 + sde.eps) / 2) < 0.02
    t = edm_t(Sde("ve"), 10_000, torch.device("cpu"))
    assert float(t.min()) >= 1e-5 * (1 - 1e-6) and float(t.max()) <= 1.0


def test_initial_score_is_zero_and_shapes():
    for kind, param in [("ve", "paper"), ("vp", "paper"), ("subvp", "paper")]:
        model = ScoreModel(Sde(kind), TINY, param)
        x = torch.randn(2, 3, 128, 128)
        out = model(x, torch.rand(2, 3, 128, 128), torch.rand(2))
        assert out.shape == (2, 3, 128, 128) and float(out.abs().max()) == 0.0  # zero-initialised output conv
    edm = ScoreModel(Sde("ve"), TINY, "edm")
    x = torch.rand(1, 3, 128, 128)
    t = torch.tensor([0.5])
    sigma = float(Sde("ve").sigma(t))
    # With F = 0 the EDM denoiser is c_skip (x - 0.5) + 0.5, so score = ((c_skip - 1)(x - 0.5)) / sigma^2.
    c_skip = 0.25 / (sigma**2 + 0.25)
    want = (c_skip - 1) * (x - 0.5) / sigma**2
    assert torch.allclose(edm(x, torch.rand(1, 3, 128, 128), t), want, atol=1e-6)
    with pytest.raises(ValueError):
        ScoreModel(Sde("vp"), TINY, "edm")
    with pytest.raises(ValueError):
        Sde("bogus")


def test_edm_loss_hand_computed():
    from training.losses import edm_loss

    model = ScoreModel(Sde("ve"), TINY, "edm")  # zero-initialised output: F = 0, D = 0.5 + c_skip (x_t - 0.5)
    t_val, x0_val, z_val = 0.3, 0.8, -0.5
    sigma = 0.01 * 34800**t_val
    x0 = torch.full((1, 3, 128, 128), x0_val)
    loss = float(edm_loss(model, model.sde, x0, torch.zeros_like(x0), torch.tensor([t_val]), torch.full_like(x0, z_val))[0])
    xt = x0_val + sigma * z_val
    d = 0.5 + 0.25 / (sigma**2 + 0.25) * (xt - 0.5)
    w = (sigma**2 + 0.25) / (sigma * 0.5) ** 2
    assert loss == pytest.approx(w * (d - x0_val) ** 2, rel=1e-4)


def test_masked_loss_averages_only_inside_the_mask():
    from training.frame import valid_mask
    from training.losses import masked_mean

    sq = torch.arange(2 * 3 * 4 * 4, dtype=torch.float64).reshape(2, 3, 4, 4)
    ones = torch.ones(2, 1, 4, 4, dtype=torch.float64)
    assert torch.allclose(masked_mean(sq, ones), sq.flatten(1).mean(1))
    half = ones.clone()
    half[:, :, :, 2:] = 0
    assert torch.allclose(masked_mean(sq, half), sq[:, :, :, :2].flatten(1).mean(1))
    m = valid_mask("utkface", 200, 200)
    assert m.shape == (128, 128) and m[0].sum() == 0 and m[-1, 64] == 1 and m[64, 0] == 0 and m[64, -1] == 0
    assert abs(m.mean() - 0.672) < 0.02  # 67 % of the frame lies inside a UTKFace image
    assert valid_mask("celeba", 178, 218).all()
