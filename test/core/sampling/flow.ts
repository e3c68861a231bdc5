/** The exact probability-flow map for Gaussian data, used to check the ODE samplers pointwise. */
import type { SdeConfig } from '../../../src/core/sampling/api';
import { createNoiseStream } from '../../../src/core/sampling/noise';

/** Hand-written m(t) and std(t) of DESIGN.md's table. */
function marginal(sde: SdeConfig, t: number): { m: number; std: number } {
  if (sde.kind === 've') return { m: 1, std: sde.sigmaMin * (sde.sigmaMax / sde.sigmaMin) ** t };
  const m = Math.exp(-0.25 * t * t * (sde.betaMax - sde.betaMin) - 0.5 * t * sde.betaMin);
  return { m, std: sde.kind === 'vp' ? Math.sqrt(1 - m * m) : 1 - m * m };
}

/**
 * For data N(mu, s^2) per coordinate the flow keeps w fixed in x_t = m(t) mu + sqrt(v(t)) w, v = m^2 s^2 + std^2.
 * The ODE samplers start at x(1) = std(1) z, integrate to t = eps and return the clean estimate there (Tweedie:
 * x_0 = mu + m s^2 w / sqrt(v(eps))). Returns that exact end point for each candidate's prior draw.
 */
export function exactFlow(
  sde: SdeConfig,
  eps: number,
  seed: bigint,
  batch: number,
  n: number,
  mu: number,
  s: number,
): Float64Array {
  const one = marginal(sde, 1);
  const end = marginal(sde, eps);
  const v1 = one.m ** 2 * s * s + one.std ** 2;
  const ve = end.m ** 2 * s * s + end.std ** 2;
  const out = new Float64Array(batch * n);
  for (let b = 0; b < batch; b++) {
    const z = createNoiseStream(seed, b).next(n);
    for (let i = 0; i < n; i++) {
      const w = (one.std * z[i]! - one.m * mu) / Math.sqrt(v1);
      out[b * n + i] = mu + (end.m * s * s * w) / Math.sqrt(ve);
    }
  }
  return out;
}

/** Root-mean-square difference. */
export function rms(a: Float32Array, b: Float64Array): number {
  let r = 0;
  for (let i = 0; i < a.length; i++) r += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(r / a.length);
}
