/**
 * PC predictors (Song et al. 2021, score_sde `sampling.py`). Every predictor here is affine in (x, s, z) with
 * scalars per step: x_mean = a x + b s, x = x_mean + c z, where s is the score at (x, t).
 */
import type { Sde } from '../sde';

/** Predictor names of the sampling API. */
export type PredictorName = 'reverse-diffusion' | 'euler-maruyama' | 'none';

/** The scalars of one predictor step: x_mean = a x + b s; x = x_mean + c z. */
export interface AffineStep {
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

/** Each predictor's step coefficients at time t of an N-step grid. */
export const predictors: Record<PredictorName, (sde: Sde, t: number, n: number) => AffineStep> = {
  /**
   * Reverse diffusion: with the forward discretisation x_{k+1} = x_k + f x_k + G z, the reverse step is
   * x_mean = x - (f x - G^2 s), x = x_mean + G z (VE: x + (sigma_k^2 - sigma_{k-1}^2) s; VP: (2 - sqrt(1-beta_k)) x
   * + beta_k s).
   */
  'reverse-diffusion': (sde, t, n) => {
    const { f, g } = sde.discretize(t, n);
    return { a: 1 - f, b: g * g, c: g };
  },
  /** Euler-Maruyama on the reverse SDE, dt = -1/N: x_mean = x - (f(x,t) - g^2 s) / N, x = x_mean + g sqrt(1/N) z. */
  'euler-maruyama': (sde, t, n) => {
    const dt = 1 / n;
    const g = sde.diffusion(t);
    return { a: 1 - sde.driftCoef(t) * dt, b: g * g * dt, c: g * Math.sqrt(dt) };
  },
  /** No predictor: x unchanged. */
  none: () => ({ a: 1, b: 0, c: 0 }),
};

/** Apply an affine step in place: xMean = a x + b s; x = xMean + c z (z null: x = xMean). */
export function applyAffine(
  step: AffineStep,
  x: Float32Array,
  s: Float32Array,
  z: Float32Array | null,
  xMean: Float32Array,
): void {
  const { a, b, c } = step;
  const len = x.length;
  if (z) {
    for (let i = 0; i < len; i++) {
      const m = a * x[i]! + b * s[i]!;
      xMean[i] = m;
      x[i] = m + c * z[i]!;
    }
  } else {
    for (let i = 0; i < len; i++) {
      const m = a * x[i]! + b * s[i]!;
      xMean[i] = m;
      x[i] = m;
    }
  }
}
