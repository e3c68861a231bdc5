"""Python reference samplers (SDE-VE, SDE-VEcs, SDE-VP/subVP by Euler-Maruyama, the Heun probability-flow ODE on
the Karras schedule, and DPM-Solver++ 2M/3M, the app's 'fast' preset, see `sample_dpm_solver`) consuming C5 noise in the order of docs/specs/c5-noise.md: per candidate, the prior
sample is the first draw, then one draw per predictor or corrector step that needs noise, in the order the steps
run (the last predictor step draws too; its noise is discarded since the noise-free mean is returned).

Grids (shared with the TypeScript core): PC times t_i = linspace(1, eps, N)[i]; discrete index k = N - 1 - i;
VE sigma_k = exp(linspace(ln sigma_min, ln sigma_max, N))[k], sigma_{-1} = 0; VP beta_k =
linspace(beta_min / N, beta_max / N, N)[k]. Langevin step size eps_L = 2 alpha (r ||z|| / ||s||)^2 with
per-sample norms (DESIGN.md C: not averaged over the batch). Heun: EDM Algorithm 1 (Karras et al. 2022) with
sigma_i = (sigma_max^(1/rho) + i/(N-1) (sigma(eps)^(1/rho) - sigma_max^(1/rho)))^rho, sigma_N = 0, and
t(sigma) = ln(sigma / sigma_min) / ln(sigma_max / sigma_min).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import torch
from torch import Tensor

from .noise import NoiseStream
from .sde import Sde

ScoreFn = Callable[[Tensor, Tensor, Tensor], Tensor]


@dataclass(frozen=True)
class PcConfig:
    """Predictor-corrector settings."""

    predictor: str = "reverse-diffusion"  # 'reverse-diffusion' | 'euler-maruyama' | 'none'
    corrector: str = "none"  # 'langevin' | 'none'
    steps: int = 2000
    corrector_steps: int = 1
    snr: float = 0.16


def draw(streams: Sequence[NoiseStream], shape: Sequence[int], device: torch.device | str) -> Tensor:
    """One draw of numel(shape) normals per candidate, stacked to [B, *shape]."""
    n = int(np.prod(shape))
    return torch.from_numpy(np.stack([s.next(n).reshape(shape) for s in streams])).to(device)


def _bcast(v: Tensor) -> Tensor:
    return v.view(-1, 1, 1, 1)


def sample_pc(sde: Sde, score: ScoreFn, y: Tensor, streams: Sequence[NoiseStream], cfg: PcConfig) -> Tensor:
    """PC sampling; returns the noise-free mean in the SDE's data range, [B,3,H,W]."""
    b, dev = y.shape[0], y.device
    shape = tuple(y.shape[1:])
    n = cfg.steps
    ts = np.linspace(1.0, sde.eps, n)
    sigmas = np.exp(np.linspace(math.log(sde.sigma_min), math.log(sde.sigma_max), n))
    betas = np.linspace(sde.beta_min / n, sde.beta_max / n, n)
    x = draw(streams, shape, dev) * sde.prior_std()
    x_mean = x
    for i in range(n):
        k = n - 1 - i
        t = torch.full((b,), float(ts[i]), device=dev)
        if cfg.corrector == "langevin":
            alpha = 1.0 if sde.kind == "ve" else 1.0 - float(betas[k])
            for _ in range(cfg.corrector_steps):
                s = score(x, y, t)
                z = draw(streams, shape, dev)
                s_norm = s.flatten(1).norm(dim=1)
                z_norm = z.flatten(1).norm(dim=1)
                step = 2.0 * alpha * (cfg.snr * z_norm / s_norm) ** 2
                x_mean = x + _bcast(step) * s
                x = x_mean + _bcast(torch.sqrt(2.0 * step)) * z
        if cfg.predictor == "none":
            continue
        s = score(x, y, t)
        z = draw(streams, shape, dev)
        if cfg.predictor == "reverse-diffusion":
            if sde.kind == "ve":
                prev = float(sigmas[k - 1]) if k > 0 else 0.0
                var = float(sigmas[k]) ** 2 - prev**2
                x_mean = x + var * s
                x = x_mean + math.sqrt(var) * z
            else:
                bk = float(betas[k])
                x_mean = (2.0 - math.sqrt(1.0 - bk)) * x + bk * s
                x = x_mean + math.sqrt(bk) * z
        elif cfg.predictor == "euler-maruyama":
            f, g = sde.drift_diffusion(x, t)
            g = _bcast(g)
            x_mean = x - (f - g * g * s) / n
            x = x_mean + g * math.sqrt(1.0 / n) * z
        else:
            raise ValueError(f"unknown predictor {cfg.predictor!r}")
    return x_mean


def karras_sigmas(sde: Sde, steps: int, rho: float = 7.0) -> np.ndarray:
    """The N + 1 Karras/EDM noise levels from sigma_max to sigma(eps), then 0."""
    lo = sde.sigma_min * (sde.sigma_max / sde.sigma_min) ** sde.eps
    i = np.arange(steps, dtype=np.float64)
    s = (sde.sigma_max ** (1 / rho) + i / max(steps - 1, 1) * (lo ** (1 / rho) - sde.sigma_max ** (1 / rho))) ** rho
    return np.append(s, 0.0)


def sample_heun(sde: Sde, score: ScoreFn, y: Tensor, streams: Sequence[NoiseStream], steps: int,
                rho: float = 7.0, churn: float = 0.0) -> Tensor:
    """Heun's method on the VE probability-flow ODE dx/dsigma = -sigma score(x, sigma); 2N - 1 NFE."""
    if sde.kind != "ve":
        raise ValueError("the Heun/Karras sampler is implemented for the VE SDE")
    b, dev = y.shape[0], y.device
    shape = tuple(y.shape[1:])
    sig = karras_sigmas(sde, steps, rho)
    log_ratio = math.log(sde.sigma_max / sde.sigma_min)

    def t_of(sigma: float) -> Tensor:
        return torch.full((b,), math.log(sigma / sde.sigma_min) / log_ratio, device=dev)

    x = draw(streams, shape, dev) * float(sig[0])
    gamma = min(churn / steps, math.sqrt(2.0) - 1.0) if churn > 0 else 0.0
    for i in range(steps):
        s_cur, s_next = float(sig[i]), float(sig[i + 1])
        if gamma > 0:
            s_hat = s_cur * (1.0 + gamma)
            x = x + math.sqrt(s_hat**2 - s_cur**2) * draw(streams, shape, dev)
            s_cur = s_hat
        d = -s_cur * score(x, y, t_of(s_cur))
        x_next = x + (s_next - s_cur) * d
        if s_next > 0:
            d2 = -s_next * score(x_next, y, t_of(s_next))
            x_next = x + (s_next - s_cur) * 0.5 * (d + d2)
        x = x_next
    return x


def streams_for(seed: int, count: int, first: int = 0) -> list[NoiseStream]:
    """Noise streams of candidates first .. first + count - 1 of a run."""
    return [NoiseStream(seed, k) for k in range(first, first + count)]


def scalar_sde(sde: Sde) -> tuple[Callable[[float], float], Callable[[float], float], Callable[[float], float]]:
    """m(t), std(t) and sigma^{-1} of the scaled noise level sigma(t) = std(t) / m(t), in float64, written as
    src/core/sde/sde.ts writes them (VE: m = 1, std = sigma) so both languages build the same grid."""
    if sde.kind == "ve":
        log_ratio = math.log(sde.sigma_max / sde.sigma_min)
        return (lambda t: 1.0, lambda t: sde.sigma_min * (sde.sigma_max / sde.sigma_min) ** t,
                lambda s: math.log(s / sde.sigma_min) / log_ratio)
    d_beta = sde.beta_max - sde.beta_min

    def log_mean(t: float) -> float:
        return -0.25 * t * t * d_beta - 0.5 * t * sde.beta_min

    def time_of_log_mean(ell: float) -> float:
        # Root t >= 0 of 1/4 dBeta t^2 + 1/2 beta_min t - L = 0 with L = -log m.
        return 2 * ell / (0.5 * sde.beta_min + math.sqrt(0.25 * sde.beta_min**2 + d_beta * ell))

    def mean(t: float) -> float:
        return math.exp(log_mean(t))

    if sde.kind == "vp":
        return (mean, lambda t: math.sqrt(-math.expm1(2 * log_mean(t))),
                lambda s: time_of_log_mean(0.5 * math.log1p(s * s)))
    # subVP: sigma = (1 - m^2) / m, so m = 2 / (sqrt(s^2 + 4) + s).
    return (mean, lambda t: -math.expm1(2 * log_mean(t)),
            lambda s: time_of_log_mean(-math.log(2 / (math.sqrt(s * s + 4) + s))))


def dpm_solver_grid(sde: Sde, steps: int, eps: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The N times and lambdas of DPM-Solver++: lambda(t) = -log sigma(t) uniform from t = 1 to eps (float64)."""
    if steps < 1:
        raise ValueError(f"DPM-Solver steps must be a positive integer, got {steps}")
    eps = sde.eps if eps is None else eps
    mean, std, sigma_inv = scalar_sde(sde)
    l0 = -math.log(std(1.0) / mean(1.0))
    l1 = -math.log(std(eps) / mean(eps))
    lambdas = np.empty(steps)
    ts = np.empty(steps)
    for i in range(steps):
        lam = l0 if steps == 1 else l1 if i == steps - 1 else l0 + (i / (steps - 1)) * (l1 - l0)
        lambdas[i] = lam
        ts[i] = 1.0 if i == 0 else eps if i == steps - 1 else sigma_inv(math.exp(-lam))
    return ts, lambdas


def sample_dpm_solver(sde: Sde, score: ScoreFn, y: Tensor, streams: Sequence[NoiseStream], steps: int = 25,
                      order: int = 3, eps: float | None = None) -> Tensor:
    """DPM-Solver++ multistep (Lu et al. 2022, Algorithm 2 and its 3rd-order extension), data prediction, the app's
    'fast' preset at order 3 and N = 25 (src/core/sampling/dpm-solver.ts, formula for formula). NFE = N.

    One C5 draw per candidate, the prior x = std(1) z; then deterministic. VE is the case m(t) = 1, std = sigma.
    Returns the clean estimate at eps in the SDE's data range, [B,3,H,W] (no LR projection)."""
    if order not in (2, 3):
        raise ValueError(f"DPM-Solver order must be 2 or 3, got {order}")
    b, dev = y.shape[0], y.device
    shape = tuple(y.shape[1:])
    mean, std, _ = scalar_sde(sde)
    ts, lambdas = dpm_solver_grid(sde, steps, eps)
    x = draw(streams, shape, dev) * std(1.0)
    hist: list[Tensor] = []  # data predictions x0_i, x0_{i-1}, x0_{i-2}, newest first

    def denoise(i: int) -> Tensor:
        t = float(ts[i])
        sig = std(t)
        s = score(x, y, torch.full((b,), t, device=dev, dtype=torch.float32))
        return (x + sig * sig * s) / mean(t)  # Tweedie: x0 = (x + std^2 s) / m

    for i in range(steps - 1):
        hist = [denoise(i)] + hist[:2]
        m0 = hist[0]
        k = min(order, i + 1)
        t_next = float(ts[i + 1])
        h = float(lambdas[i + 1] - lambdas[i])
        ratio = std(t_next) / std(float(ts[i]))
        a_next = mean(t_next)
        phi1 = math.expm1(-h)  # e^{-h} - 1
        if k == 1:
            x = ratio * x + (-a_next * phi1) * m0
        elif k == 2:
            r0 = float(lambdas[i] - lambdas[i - 1]) / h
            # x_t = (s_t / s_s) x - a_t (e^{-h} - 1) (D0 + D1 / 2), D1 = (m0 - m1) / r0.
            x = ratio * x + (-a_next * phi1) * m0 + (-a_next * phi1 * 0.5 / r0) * (m0 - hist[1])
        else:
            r0 = float(lambdas[i] - lambdas[i - 1]) / h
            r1 = float(lambdas[i - 1] - lambdas[i - 2]) / h
            c_a = -a_next * phi1
            c_b = a_next * (phi1 / h + 1)
            c_c = -a_next * ((phi1 + h) / (h * h) - 0.5)
            d10 = (m0 - hist[1]) / r0
            d11 = (hist[1] - hist[2]) / r1
            d1 = d10 + (r0 / (r0 + r1)) * (d10 - d11)
            d2 = (d10 - d11) / (r0 + r1)
            x = ratio * x + c_a * m0 + c_b * d1 + c_c * d2
    return denoise(steps - 1)
