/** Closed-form score models and statistical checks for the sampler tests. */
import type {
  NoiseStream,
  SampleRequest,
  ScoreFn,
  SdeConfig,
  SamplerConfig,
  Tensor,
} from '../../../src/core/sampling/api';
import { createNoiseStream } from '../../../src/core/sampling/noise';
import { createSde } from '../../../src/core/sde';

/** A 1-D Gaussian mixture component applied independently to every coordinate. */
export interface Component {
  readonly weight: number;
  readonly mu: number;
  readonly s: number;
}

/**
 * The exact score of the perturbed marginal for data x_0 ~ sum_i w_i N(mu_i, s_i^2) per coordinate:
 * p_t = sum_i w_i N(m mu_i, m^2 s_i^2 + std^2), score = sum_i w_i N_i (-(x - m mu_i) / v_i) / sum_i w_i N_i.
 * One component gives the Gaussian case -(x - m mu) / (m^2 s^2 + std^2).
 */
export function mixtureScore(sdeConfig: SdeConfig, components: readonly Component[]): ScoreFn {
  const sde = createSde(sdeConfig);
  return (x: Tensor, _y: Tensor, t: Float32Array): Promise<Float32Array> => {
    const out = new Float32Array(x.data.length);
    const per = x.data.length / t.length;
    for (let b = 0; b < t.length; b++) {
      const tb = t[b]!;
      const m = sde.meanCoef(tb);
      const std = sde.std(tb);
      const comps = components.map((c) => ({
        w: c.weight,
        mean: m * c.mu,
        v: m * m * c.s * c.s + std * std,
      }));
      for (let i = b * per; i < (b + 1) * per; i++) {
        const xi = x.data[i]!;
        if (comps.length === 1) {
          out[i] = -(xi - comps[0]!.mean) / comps[0]!.v;
          continue;
        }
        // Responsibilities in log space for stability.
        const logs = comps.map((c) => Math.log(c.w) - 0.5 * Math.log(c.v) - (xi - c.mean) ** 2 / (2 * c.v));
        const top = Math.max(...logs);
        let num = 0;
        let den = 0;
        comps.forEach((c, k) => {
          const r = Math.exp(logs[k]! - top);
          num += (r * -(xi - c.mean)) / c.v;
          den += r;
        });
        out[i] = num / den;
      }
    }
    return Promise.resolve(out);
  };
}

/** Noise streams for candidates `first .. first + count - 1` of a seed. */
export function streams(seed: bigint, count: number, first = 0): NoiseStream[] {
  return Array.from({ length: count }, (_, k) => createNoiseStream(seed, first + k));
}

/** A request with a dummy conditioning of one value per candidate. */
export function request(
  sde: SdeConfig,
  sampler: SamplerConfig,
  score: ScoreFn,
  noise: readonly NoiseStream[],
  sampleShape: readonly number[],
  extra: Partial<SampleRequest> = {},
): SampleRequest {
  const y: Tensor = { data: new Float32Array(noise.length), shape: [noise.length, 1] };
  return { sde, sampler, score, noise, sampleShape, y, ...extra };
}

/** Sample mean and unbiased variance. */
export function moments(values: ArrayLike<number>): { mean: number; variance: number; n: number } {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return { mean, variance: ss / (n - 1), n };
}

/**
 * The statistical test for N(mu, s^2) data with n i.i.d. values: a z-test on the mean, |mean - mu| < 4 s / sqrt(n),
 * and the chi-square bound on the variance via its normal approximation, |S^2 / s^2 - 1| < 4 sqrt(2 / (n - 1)),
 * both at about 6e-5 two-sided false alarm for an exact sampler. Returns the z-scores for messages.
 */
export function gaussianCheck(
  values: ArrayLike<number>,
  mu: number,
  s: number,
): { zMean: number; zVar: number; mean: number; variance: number } {
  const { mean, variance, n } = moments(values);
  const zMean = (mean - mu) / (s / Math.sqrt(n));
  const zVar = (variance / (s * s) - 1) / Math.sqrt(2 / (n - 1));
  return { zMean, zVar, mean, variance };
}

/** Two-sample-free Kolmogorov-Smirnov statistic of values against a CDF. */
export function ksStatistic(values: ArrayLike<number>, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, Math.abs(f - i / n), Math.abs(f - (i + 1) / n));
  }
  return d;
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
