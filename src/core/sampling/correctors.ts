/**
 * Langevin corrector (Song et al. 2021, Algorithm 4 / score_sde `LangevinCorrector`) with per-sample norms
 * (DESIGN.md C-rule): eps_b = 2 alpha (r ||z_b|| / ||s_b||)^2; x_mean = x + eps_b s; x = x_mean + sqrt(2 eps_b) z.
 */

/** Corrector names of the sampling API. */
export type CorrectorName = 'langevin' | 'none';

/**
 * One Langevin step in place for a batch of `batch` samples of `n` values each; returns the per-sample step sizes.
 * `s` is the score at (x, t), `z` one standard normal draw per sample, `alpha` = 1 (VE) or 1 - beta_k (VP/subVP).
 */
export function langevinStep(
  x: Float32Array,
  s: Float32Array,
  z: Float32Array,
  xMean: Float32Array,
  batch: number,
  n: number,
  snr: number,
  alpha: number,
): Float64Array {
  const steps = new Float64Array(batch);
  for (let b = 0; b < batch; b++) {
    const o = b * n;
    let gg = 0;
    let zz = 0;
    for (let i = o; i < o + n; i++) {
      gg += s[i]! * s[i]!;
      zz += z[i]! * z[i]!;
    }
    // Norms of this sample only, so a candidate never depends on the others in its batch.
    const ratio = (snr * Math.sqrt(zz)) / Math.sqrt(gg);
    const eps = gg > 0 ? 2 * alpha * ratio * ratio : 0;
    const c = Math.sqrt(2 * eps);
    for (let i = o; i < o + n; i++) {
      const m = x[i]! + eps * s[i]!;
      xMean[i] = m;
      x[i] = m + c * z[i]!;
    }
    steps[b] = eps;
  }
  return steps;
}

/**
 * One corrector step in place over a batch: x and xMean updated from the score s at (x, t) and one normal draw z
 * per sample; `n` values per sample, `snr` the signal-to-noise ratio r, `alpha` as for langevinStep.
 */
export type CorrectorStep = (
  x: Float32Array,
  s: Float32Array,
  z: Float32Array,
  xMean: Float32Array,
  batch: number,
  n: number,
  snr: number,
  alpha: number,
) => void;

/** The correctors by name; the PC loop looks its corrector up here (add one: a name in CorrectorName and a step). */
export const correctors: Record<CorrectorName, CorrectorStep> = {
  langevin: (x, s, z, xMean, batch, n, snr, alpha) => {
    langevinStep(x, s, z, xMean, batch, n, snr, alpha);
  },
  /** No corrector: x unchanged. */
  none: (x, _s, _z, xMean) => {
    xMean.set(x);
  },
};
