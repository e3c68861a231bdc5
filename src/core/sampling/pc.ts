/**
 * The predictor-corrector sampler (Song et al. 2021, Algorithm 1 / score_sde `get_pc_sampler`): from the prior at
 * t = 1, at each of N grid times (linspace(1, eps, N)) run M corrector steps then one predictor step; the result is
 * the last step's noise-free mean.
 * Noise draws per candidate (C5 order): the prior, then at each step M Langevin draws and one predictor draw; the
 * last step's predictor returns its mean and draws nothing.
 */
import { createSde } from '../sde';
import { pcTimeGrid } from './schedules';
import type { SampleRequest, SamplerConfig, Tensor } from './api';
import { batchShape, checkCancelled, drawNoise, overlapped } from './batch';
import { ScoreCaller } from './score-caller';
import { projectInPlace } from './data-consistency';
import { correctors } from './correctors';
import { applyAffine, predictors } from './predictors';

/** Run a PC sampler; returns the final noise-free x in the SDE's data range. */
export async function samplePc(
  req: SampleRequest,
  config: Extract<SamplerConfig, { kind: 'pc' }>,
): Promise<Tensor> {
  const sde = createSde(req.sde);
  const shape = batchShape(req);
  const { batch, perSample } = shape;
  const n = config.steps;
  const m = config.corrector === 'none' ? 0 : config.correctorSteps;
  if (!Number.isInteger(m) || m < 0) throw new Error(`Corrector steps must be a whole number, got ${m}.`);
  const ts = pcTimeGrid(n, config.eps);
  const len = batch * perSample;
  const x = new Float32Array(len);
  const xMean = new Float32Array(len);
  const z = new Float32Array(len);
  const score = new ScoreCaller(req, shape);

  // Prior: the first draw of each candidate's stream, scaled to N(0, priorStd^2 I).
  drawNoise(req.noise, perSample, x);
  for (let i = 0; i < len; i++) x[i] = x[i]! * sde.priorStd;
  xMean.set(x);

  const predict = predictors[config.predictor];
  const correct = correctors[config.corrector];
  // Data consistency (optional): the clean estimate x0 = (x + std^2 s) / m at each step is projected, and the
  // state moved by m(t_next) (x0' - x0) so its low frequencies follow the LR input; the result is projected.
  const x0 = req.project ? new Float32Array(len) : null;
  const x0p = req.project ? new Float32Array(len) : null;
  for (let i = 0; i < n; i++) {
    checkCancelled(req);
    const t = ts[i]!;
    for (let j = 0; j < m; j++) {
      const s = await overlapped(score.at(x, t), () => drawNoise(req.noise, perSample, z));
      correct(x, s, z, xMean, batch, perSample, config.snr, sde.langevinAlpha(t, n));
    }
    if (config.predictor !== 'none') {
      // The last step returns the mean, so it needs no noise (and draws none).
      const last = i === n - 1;
      const s = await overlapped(score.at(x, t), () => {
        if (!last) drawNoise(req.noise, perSample, z);
      });
      if (x0 && x0p && !last) {
        const m = sde.meanCoef(t);
        const v = sde.std(t) ** 2;
        for (let k = 0; k < len; k++) x0[k] = (x[k]! + v * s[k]!) / m;
        x0p.set(x0);
        projectInPlace(req, shape, x0p);
      }
      applyAffine(predict(sde, t, n), x, s, last ? null : z, xMean);
      if (x0 && x0p && !last) {
        const mNext = sde.meanCoef(ts[i + 1]!);
        for (let k = 0; k < len; k++) {
          const shift = mNext * (x0p[k]! - x0[k]!);
          x[k] = x[k]! + shift;
          xMean[k] = xMean[k]! + shift;
        }
      }
    }
    req.onProgress?.({ step: i + 1, total: n, nfe: score.nfe });
  }
  projectInPlace(req, shape, xMean);
  return { data: xMean, shape: shape.shape };
}
