/** Small statistics for evaluation: cosine similarity (paper Eq. 13), mean and standard deviation, Pearson r. */

/** Cosine similarity of two vectors of the same length (0 if either is all zeros). */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length)
    throw new Error(`cosineSimilarity: lengths differ (${a.length} vs ${b.length}).`);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

/** Mean and sample standard deviation (n - 1; 0 for a single value) of a list of numbers. */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) throw new Error('meanStd: no values.');
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  if (n === 1) return { mean, std: 0 };
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { mean, std: Math.sqrt(ss / (n - 1)) };
}

/** Pearson correlation coefficient of paired samples (NaN if either has zero variance). */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length) throw new Error(`pearson: lengths differ (${xs.length} vs ${ys.length}).`);
  if (xs.length < 2) throw new Error('pearson: need at least two pairs.');
  const mx = meanStd(xs).mean;
  const my = meanStd(ys).mean;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}
