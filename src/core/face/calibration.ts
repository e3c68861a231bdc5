/**
 * Where a similarity score falls among measured genuine (same person, different photo) and impostor
 * (different people) scores. It places a score for an analyst; it is not an identification.
 */
export interface ScoreCalibration {
  /** Sorted quantiles of the impostor score distribution at probabilities 0, 1/(q-1), ..., 1. */
  readonly impostorQuantiles: readonly number[];
  /** Sorted quantiles of the genuine score distribution at the same probabilities. */
  readonly genuineQuantiles: readonly number[];
  /** Pair counts behind the quantiles. */
  readonly impostorPairs: number;
  readonly genuinePairs: number;
}

/** Percentiles (0-100) of a score among impostor and genuine scores. */
export interface CalibratedScore {
  /** Share of impostor pairs scoring at or below this score, in percent. */
  readonly impostorPercentile: number;
  /** Share of genuine pairs scoring at or below this score, in percent. */
  readonly genuinePercentile: number;
}

/** Quantiles at q evenly spaced probabilities (linear interpolation between order statistics). */
export function quantiles(values: readonly number[], q: number): number[] {
  if (values.length === 0) throw new Error('no values to take quantiles of');
  if (!(q >= 2)) throw new Error('need at least 2 quantiles');
  const sorted = Float64Array.from(values).sort();
  const out: number[] = [];
  for (let k = 0; k < q; k++) {
    const pos = (k / (q - 1)) * (sorted.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(sorted.length - 1, lo + 1);
    out.push(sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!));
  }
  return out;
}

/** Empirical CDF (percent) of `score` from a quantile table, interpolating linearly between quantiles. */
export function percentileFromQuantiles(score: number, table: readonly number[]): number {
  const q = table.length;
  if (q < 2) throw new Error('quantile table needs at least 2 entries');
  if (!Number.isFinite(score)) throw new Error('score must be finite');
  if (score < table[0]!) return 0;
  if (score >= table[q - 1]!) return 100;
  // Last index whose quantile is <= score (ties resolve to the upper end, i.e. "at or below").
  let lo = 0;
  let hi = q - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (table[mid]! <= score) lo = mid;
    else hi = mid;
  }
  const span = table[hi]! - table[lo]!;
  const frac = span > 0 ? (score - table[lo]!) / span : 1;
  return (100 * (lo + frac)) / (q - 1);
}

/**
 * Places a cosine similarity among the impostor and genuine distributions measured for an embedder
 * (its manifest's `calibration`). The result says where a score falls; it never identifies anyone.
 */
export function calibrate(
  score: number,
  manifest: { readonly calibration?: ScoreCalibration },
): CalibratedScore {
  const calibration = manifest.calibration;
  if (!calibration) throw new Error('this embedder has no measured calibration');
  return {
    impostorPercentile: percentileFromQuantiles(score, calibration.impostorQuantiles),
    genuinePercentile: percentileFromQuantiles(score, calibration.genuineQuantiles),
  };
}

/** Cosine similarity of two embeddings: the comparison score (one definition, in core/metrics). */
export { cosineSimilarity } from '../metrics/stats';
