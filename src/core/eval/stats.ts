/**
 * Summary statistics of the evaluation. Kept local to the evaluator until `src/core/metrics` lands its own;
 * then these delegate to it (one definition per statistic).
 */

/** Mean and sample standard deviation (n - 1; 0 for one value) of `values`; both NaN for an empty list. */
export function meanStdOf(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { mean, std: n === 1 ? 0 : Math.sqrt(ss / (n - 1)) };
}

/** Pearson's correlation coefficient of paired samples; null when undefined (n < 2 or a constant sample). */
export function pearsonOf(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length) throw new Error(`pearson: ${xs.length} x values but ${ys.length} y values.`);
  const n = xs.length;
  if (n < 2) return null;
  const mx = meanStdOf(xs).mean;
  const my = meanStdOf(ys).mean;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}
