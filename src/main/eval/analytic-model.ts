/**
 * A score model with an exact closed form, for testing the evaluator without a trained network: the data prior is
 * x0 | y ~ N(mu(y), tau^2 I) with mu(y) = y mapped to the model's data range, so the perturbed marginal is
 * N(m(t) mu, (m(t)^2 tau^2 + v(t)) I) and its score is -(x - m(t) mu) / (m(t)^2 tau^2 + v(t)) (DESIGN.md section 1:
 * VE m = 1, v = sigma(t)^2; VP v = 1 - m^2; subVP v = (1 - m^2)^2). It is NOT trained on faces: its samples are the
 * bicubic conditioning plus Gaussian noise of std tau, and results from it are never the method's.
 */
import { sha256Hex } from '../crypto';
import type { EvalModel } from '../../core/eval/schema';
import type { ScoreFn, SdeConfig } from '../../core/sampling/api';

/** Mean scale m(t) and variance v(t) of the SDE's perturbation kernel (DESIGN.md section 1). */
export function perturbation(sde: SdeConfig, t: number): { m: number; v: number } {
  switch (sde.kind) {
    case 've': {
      const s = sde.sigmaMin * (sde.sigmaMax / sde.sigmaMin) ** t;
      return { m: 1, v: s * s };
    }
    case 'vp':
    case 'subvp': {
      const m = Math.exp(-0.25 * t * t * (sde.betaMax - sde.betaMin) - 0.5 * t * sde.betaMin);
      const v = 1 - m * m;
      return { m, v: sde.kind === 'vp' ? v : v * v };
    }
  }
}

/** The analytic model: its score function and its record for the results (sha256 over its definition). */
export function analyticGaussianModel(sde: SdeConfig, tau: number): { score: ScoreFn; info: EvalModel } {
  if (!(tau > 0)) throw new Error(`The analytic model needs tau > 0, not ${tau}.`);
  const dataRange = sde.kind === 've' ? '0,1' : '-1,1';
  const toData = dataRange === '0,1' ? (v: number): number => v : (v: number): number => 2 * v - 1;
  const score: ScoreFn = async (x, y, t) => {
    const out = new Float32Array(x.data.length);
    const per = x.data.length / t.length;
    for (let b = 0; b < t.length; b++) {
      const { m, v } = perturbation(sde, t[b]!);
      const inv = 1 / (m * m * tau * tau + v);
      for (let i = b * per; i < (b + 1) * per; i++) out[i] = -(x.data[i]! - m * toData(y.data[i]!)) * inv;
    }
    return out;
  };
  const definition = JSON.stringify({ kind: 'analytic-gaussian', sde, tau });
  return {
    score,
    info: {
      id: `analytic-gaussian-${sde.kind}`,
      sha256: sha256Hex(definition),
      sde,
      dataRange,
      trainedOnFaces: false,
      note: `analytic test model, NOT trained on faces: exact score of x0 ~ N(bicubic(y), ${tau}^2 I); sha256 of ${definition}`,
    },
  };
}
