/**
 * DPM-Solver++ multistep, 2nd or 3rd order, data prediction (Lu et al. 2022, "DPM-Solver++", Algorithm 2 and its
 * 3rd-order extension) on a grid uniform in lambda(t) = log(m(t) / std(t)) from t = 1 to eps, ending with the
 * clean estimate at eps. NFE = N. Written for VP/subVP; VE is the special case m(t) = 1, std(t) = sigma(t).
 * Noise: one draw per candidate, the prior x = std(1) z; the rest is deterministic.
 */
import { createSde } from '../sde';
import type { SampleRequest, SamplerConfig, Tensor } from './api';
import { batchShape, checkCancelled, drawNoise } from './batch';
import { ScoreCaller } from './score-caller';
import { projectInPlace } from './data-consistency';
import { logSnrGrid } from './schedules';

/** Run DPM-Solver++; returns x_0 in the SDE's data range. */
export async function sampleDpmSolver(
  req: SampleRequest,
  config: Extract<SamplerConfig, { kind: 'dpm-solver' }>,
): Promise<Tensor> {
  if (config.order !== 2 && config.order !== 3) throw new Error(`DPM-Solver order must be 2 or 3.`);
  const sde = createSde(req.sde);
  const shape = batchShape(req);
  const len = shape.batch * shape.perSample;
  const n = config.steps;
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`DPM-Solver steps must be a positive integer, got ${n}.`);

  // Grid uniform in lambda = -log sigma_tilde(t).
  const { ts, lambdas } = logSnrGrid(sde, n, config.eps);

  const score = new ScoreCaller(req, shape);
  const x = new Float32Array(len);
  // The three most recent data predictions x0_i, x0_{i-1}, x0_{i-2} (rotated buffers).
  let m0 = new Float32Array(len);
  let m1 = new Float32Array(len);
  let m2 = new Float32Array(len);

  drawNoise(req.noise, shape.perSample, x);
  const std0 = sde.std(1);
  for (let i = 0; i < len; i++) x[i] = x[i]! * std0;

  const denoise = async (i: number): Promise<void> => {
    const t = ts[i]!;
    const alpha = sde.meanCoef(t);
    const sigma = sde.std(t);
    const s = await score.at(x, t);
    // x0 = (x + std^2 s) / m (Tweedie).
    for (let k = 0; k < len; k++) m0[k] = (x[k]! + sigma * sigma * s[k]!) / alpha;
    projectInPlace(req, shape, m0);
  };

  for (let i = 0; i < n - 1; i++) {
    checkCancelled(req);
    [m0, m1, m2] = [m2, m0, m1];
    await denoise(i);
    const order = Math.min(config.order, i + 1);
    const tNext = ts[i + 1]!;
    const h = lambdas[i + 1]! - lambdas[i]!;
    const ratio = sde.std(tNext) / sde.std(ts[i]!);
    const alphaNext = sde.meanCoef(tNext);
    const phi1 = Math.expm1(-h); // e^{-h} - 1
    if (order === 1) {
      const c0 = -alphaNext * phi1;
      for (let k = 0; k < len; k++) x[k] = ratio * x[k]! + c0 * m0[k]!;
    } else if (order === 2) {
      const r0 = (lambdas[i]! - lambdas[i - 1]!) / h;
      // x_t = (s_t / s_s) x - a_t (e^{-h} - 1) (D0 + D1 / 2), D1 = (m0 - m1) / r0.
      const c0 = -alphaNext * phi1;
      const c1 = (-alphaNext * phi1 * 0.5) / r0;
      for (let k = 0; k < len; k++) x[k] = ratio * x[k]! + c0 * m0[k]! + c1 * (m0[k]! - m1[k]!);
    } else {
      const r0 = (lambdas[i]! - lambdas[i - 1]!) / h;
      const r1 = (lambdas[i - 1]! - lambdas[i - 2]!) / h;
      const cA = -alphaNext * phi1; // D0
      const cB = alphaNext * (phi1 / h + 1); // D1
      const cC = -alphaNext * ((phi1 + h) / (h * h) - 0.5); // D2
      const w = r0 / (r0 + r1);
      for (let k = 0; k < len; k++) {
        const d10 = (m0[k]! - m1[k]!) / r0;
        const d11 = (m1[k]! - m2[k]!) / r1;
        const d1 = d10 + w * (d10 - d11);
        const d2 = (d10 - d11) / (r0 + r1);
        x[k] = ratio * x[k]! + cA * m0[k]! + cB * d1 + cC * d2;
      }
    }
    req.onProgress?.({ step: i + 1, total: n, nfe: score.nfe });
  }
  checkCancelled(req);
  [m0, m1, m2] = [m2, m0, m1];
  await denoise(n - 1);
  req.onProgress?.({ step: n, total: n, nfe: score.nfe });
  return { data: m0, shape: shape.shape };
}
