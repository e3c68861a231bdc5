"""The shared residual denoiser: its preconditioning and the exact VE/VP/subVP conversions (shared_denoiser.py),
checked against closed forms on a Gaussian data distribution."""

import math

import pytest
import torch
from torch import Tensor, nn

from training.resnet32 import Res32Config
from training.sde import Sde
from training.shared_denoiser import SIGMA_HI, SIGMA_LO, ResidualDenoiser, SharedScoreModel, sample_sigma

MU, VAR = 0.3, 0.02  # unit-space data: x0_u ~ N(MU, VAR) per pixel, independent of y


class GaussianDenoiser(nn.Module):
    """The exact denoiser E[x0_u | x_u] of the Gaussian data above, and its unit-space score (D - x_u) / sigma^2."""

    def forward(self, x_u: Tensor, _y: Tensor, sigma: Tensor) -> Tensor:
        s2 = sigma.view(-1, 1, 1, 1) ** 2
        return MU + VAR / (VAR + s2) * (x_u - MU)

    def unit_score(self, x_u: Tensor, _y: Tensor, sigma: Tensor) -> Tensor:
        return -(x_u - MU) / (VAR + sigma.view(-1, 1, 1, 1) ** 2)


def closed_form_score(sde: Sde, x: Tensor, t: Tensor) -> Tensor:
    """grad log p_t(x) for x0 ~ N(MU, VAR) in unit space, mapped to the SDE's data range and perturbed."""
    m = sde.mean_coeff(t.double()).view(-1, 1, 1, 1)
    s = sde.marginal_std(t.double()).view(-1, 1, 1, 1)
    if sde.kind == "ve":
        mean, var = MU, VAR
    else:  # data range [-1, 1]: x0 = 2 x0_u - 1
        mean, var = 2 * MU - 1, 4 * VAR
    return -(x.double() - m * mean) / (m * m * var + s * s)


@pytest.mark.parametrize("kind", ["ve", "vp", "subvp"])
def test_score_conversion_is_exact_on_a_gaussian(kind):
    sde = Sde(kind)
    model = SharedScoreModel(sde, GaussianDenoiser())  # type: ignore[arg-type]
    g = torch.Generator().manual_seed(0)
    for tv in (2e-3, 0.01, 0.1, 0.5, 0.9, 1.0):
        t = torch.full((2,), tv)
        m = sde.mean_coeff(t.double()).view(-1, 1, 1, 1)
        s = sde.marginal_std(t.double()).view(-1, 1, 1, 1)
        x0 = sde.to_model_range(MU + math.sqrt(VAR) * torch.randn(2, 3, 8, 8, generator=g, dtype=torch.float64))
        x = (m * x0 + s * torch.randn(x0.shape, generator=g, dtype=torch.float64)).float()
        got = model(x, torch.zeros_like(x), t).double()
        want = closed_form_score(sde, x, t)
        rel = float((got - want).abs().max() / want.abs().max())
        assert rel < 2e-4, (kind, tv, rel)


def test_zero_network_is_the_optimal_denoiser_of_a_gaussian_residual():
    # With the output layer at its zero initialisation, D = y + c_skip (x_u - y): the exact posterior mean when the
    # residual x0_u - y ~ N(0, sigma_data^2), which is what the preconditioning is built around.
    den = ResidualDenoiser(Res32Config(widths=(16, 32, 32), emb=64), sigma_data=0.06).eval()
    g = torch.Generator().manual_seed(1)
    y = torch.rand(3, 3, 128, 128, generator=g)
    x_u = y + 0.2 * torch.randn(y.shape, generator=g)
    sigma = torch.tensor([0.01, 0.06, 5.0])
    with torch.no_grad():
        d = den(x_u, y, sigma)
    w = (0.06**2 / (0.06**2 + sigma**2)).view(-1, 1, 1, 1)
    assert torch.allclose(d, y + w * (x_u - y), atol=1e-6)


def test_unit_score_is_the_denoiser_difference():
    torch.manual_seed(4)
    den = ResidualDenoiser(Res32Config(widths=(16, 32, 32), emb=64)).double()
    with torch.no_grad():
        den.net.out.weight.normal_(0, 0.05)
    y = torch.rand(3, 3, 128, 128, dtype=torch.float64)
    x_u = y + 0.1 * torch.randn_like(y)
    sigma = torch.tensor([0.02, 0.3, 40.0], dtype=torch.float64)
    with torch.no_grad():
        want = (den(x_u, y, sigma) - x_u) / sigma.view(-1, 1, 1, 1) ** 2
        got = den.unit_score(x_u, y, sigma)
    assert torch.allclose(got, want, rtol=1e-6, atol=1e-9)


def test_loss_is_the_weighted_denoiser_error():
    # EDM: loss = |D - x0|^2 / c_out^2; the implementation writes it as the network's target error.
    torch.manual_seed(2)
    den = ResidualDenoiser(Res32Config(widths=(16, 32, 32), emb=64))
    with torch.no_grad():
        den.net.out.weight.normal_(0, 0.05)
    x0 = torch.rand(2, 3, 128, 128)
    y = x0 + 0.05 * torch.randn_like(x0)
    sigma, z = torch.tensor([0.03, 2.0]), torch.randn_like(x0)
    with torch.no_grad():
        loss = den.loss(x0, y, sigma, z)
        d = den(x0 + sigma.view(-1, 1, 1, 1) * z, y, sigma)
        _, _, c_out = den.coefficients(sigma)
        want = ((d - x0) ** 2 / c_out**2).flatten(1).mean(1)
    assert torch.allclose(loss, want, rtol=1e-3)


def test_noise_levels_cover_every_sampler_range():
    s = sample_sigma(200_000, torch.Generator().manual_seed(3))
    assert float(s.min()) >= SIGMA_LO * (1 - 1e-6) and float(s.max()) <= SIGMA_HI * (1 + 1e-6)
    vp = Sde("vp")
    eps = torch.tensor([vp.eps])
    vp_lo = float(vp.marginal_std(eps) / (2 * vp.mean_coeff(eps)))
    for lo, hi in [(vp_lo, 0.05), (0.05, 1.0), (1.0, 50.0), (50.0, 348.0)]:  # each decade band is trained
        assert float(((s >= lo) & (s < hi)).float().mean()) > 0.02, (lo, hi)
