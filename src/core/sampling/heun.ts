/**
 * Deterministic probability-flow ODE sampler: Heun's 2nd-order method on the Karras/EDM sigma schedule
 * (Karras et al. 2022, Algorithm 1; optional churn from Algorithm 2), expressed through the score.
 *
 * Every SDE here has p(x_t | x_0) = N(m(t) x_0, std(t)^2 I), so x = m(t) x_hat with x_hat = x_0 + sigma z and
 * sigma(t) = std(t) / m(t) (VE: m = 1, sigma = std). In x_hat the flow is EDM's dx_hat/dsigma = -sigma grad log p
 * = -sigma m(t) s_theta(m(t) x_hat, y, t), with t = sigma^{-1}(sigma) so the model always sees SDE time.
 * Noise draws per candidate (C5 order): the prior x_hat = sigma(1) z, then one draw per step only when churn > 0.
 */
import { createSde } from '../sde';
import type { Sde } from '../sde';
import type { SampleRequest, SamplerConfig, Tensor } from './api';
import { batchShape, checkCancelled, drawNoise } from './batch';
import { ScoreCaller } from './score-caller';
import { projectInPlace } from './data-consistency';
import { karrasSigmas } from './schedules';

export { karrasSigmas };

/** The SDE time of scaled noise level sigma, clamped to the grid [eps, 1]. */
function timeOf(sde: Sde, sigma: number, eps: number): number {
  return Math.min(Math.max(sde.sigmaInv(sigma), eps), 1);
}

/** Run the Heun probability-flow sampler; returns x_0 in the SDE's data range. NFE = 2N - 1. */
export async function sampleHeun(
  req: SampleRequest,
  config: Extract<SamplerConfig, { kind: 'heun' }>,
): Promise<Tensor> {
  const sde = createSde(req.sde);
  const shape = batchShape(req);
  const len = shape.batch * shape.perSample;
  const n = config.steps;
  const sigmas = karrasSigmas(n, sde.sigma(config.eps), sde.sigma(1), config.rho);
  const gamma = config.churn > 0 ? Math.min(config.churn / n, Math.SQRT2 - 1) : 0;
  const score = new ScoreCaller(req, shape);
  const xHat = new Float32Array(len);
  const xIn = new Float32Array(len);
  const d = new Float32Array(len);
  const xNext = new Float32Array(len);
  const z = new Float32Array(len);

  /** Derivative dx_hat/dsigma at (v, sigma) into `out`, with the clean estimate projected when asked. */
  const slope = async (v: Float32Array, sigma: number, out: Float32Array): Promise<void> => {
    const t = timeOf(sde, sigma, config.eps);
    const m = sde.meanCoef(t);
    for (let i = 0; i < len; i++) xIn[i] = m * v[i]!;
    const s = await score.at(xIn, t);
    if (req.project) {
      // D = x_hat + sigma^2 m s (Tweedie), projected, then d = (x_hat - D) / sigma.
      for (let i = 0; i < len; i++) out[i] = v[i]! + sigma * sigma * m * s[i]!;
      projectInPlace(req, shape, out);
      for (let i = 0; i < len; i++) out[i] = (v[i]! - out[i]!) / sigma;
    } else {
      const c = -sigma * m;
      for (let i = 0; i < len; i++) out[i] = c * s[i]!;
    }
  };

  // Prior: x_hat ~ N(0, sigma_0^2 I), the marginal at t = 1 up to the vanishing m(1) x_0 term.
  drawNoise(req.noise, shape.perSample, xHat);
  for (let i = 0; i < len; i++) xHat[i] = xHat[i]! * sigmas[0]!;

  for (let i = 0; i < n; i++) {
    checkCancelled(req);
    const sigma = sigmas[i]!;
    const sigmaNext = sigmas[i + 1]!;
    // Churn (EDM Algorithm 2): raise the noise level to sigma_hat, never above sigma_0, with fresh noise.
    const sigmaHat = Math.min(sigma * (1 + gamma), sigmas[0]!);
    if (sigmaHat > sigma) {
      drawNoise(req.noise, shape.perSample, z);
      const c = Math.sqrt(sigmaHat * sigmaHat - sigma * sigma);
      for (let k = 0; k < len; k++) xHat[k] = xHat[k]! + c * z[k]!;
    }
    await slope(xHat, sigmaHat, d);
    const h = sigmaNext - sigmaHat;
    for (let k = 0; k < len; k++) xNext[k] = xHat[k]! + h * d[k]!;
    if (sigmaNext > 0) {
      // Heun's correction: average the slopes at both ends. `z` is free here and holds d'.
      await slope(xNext, sigmaNext, z);
      for (let k = 0; k < len; k++) xHat[k] = xHat[k]! + 0.5 * h * (d[k]! + z[k]!);
    } else {
      xHat.set(xNext);
    }
    req.onProgress?.({ step: i + 1, total: n, nfe: score.nfe });
  }
  return { data: xHat, shape: shape.shape };
}
