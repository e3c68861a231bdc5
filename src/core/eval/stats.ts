/**
 * Summary statistics of the evaluation, over `src/core/metrics` (one definition per statistic): sample standard
 * deviation (n - 1), and Pearson's r reported as null where it is undefined.
 */
import { meanStd, pearson } from '../metrics/stats';

/** Mean and sample standard deviation (n - 1; 0 for one value) of `values`; both NaN for an empty list. */
export function meanStdOf(values: readonly number[]): { mean: number; std: number } {
  return values.length === 0 ? { mean: Number.NaN, std: Number.NaN } : meanStd(values);
}

/** Pearson's correlation coefficient of paired samples; null when undefined (n < 2 or a constant sample). */
export function pearsonOf(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length) throw new Error(`pearson: ${xs.length} x values but ${ys.length} y values.`);
  if (xs.length < 2) return null;
  const r = pearson(xs, ys);
  return Number.isFinite(r) ? Math.max(-1, Math.min(1, r)) : null;
}
