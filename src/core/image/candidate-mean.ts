/**
 * The candidate mean: the per-pixel average of a run's candidates. It is the most likely face under the model's
 * spread of answers, blurrier where the candidates disagree. Still AI-derived, never evidence of identity.
 */
import type { RgbImage } from './types';

/** Fewest candidates for which a mean says more than the one candidate it would copy. */
export const MIN_CANDIDATES_FOR_MEAN = 2;

/**
 * Averages the candidates' float pixels, summing in candidate order in float64 so the result is the same on every
 * machine for the same inputs (reproduction compares its float32 hash).
 */
export function candidateMean(candidates: readonly RgbImage[]): RgbImage {
  const first = candidates[0];
  if (!first) throw new Error('candidateMean needs at least one candidate.');
  const { width, height } = first;
  for (const c of candidates) {
    if (c.width !== width || c.height !== height) {
      throw new Error(
        `candidateMean: candidates differ in size (${c.width}x${c.height} vs ${width}x${height}).`,
      );
    }
  }
  const data = new Float32Array(first.data.length);
  for (let i = 0; i < data.length; i++) {
    let sum = 0;
    for (const c of candidates) sum += c.data[i]!;
    data[i] = sum / candidates.length;
  }
  return { width, height, data };
}
