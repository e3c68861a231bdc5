/** Per-method aggregation of per-face metrics (DESIGN.md section 4: mean ± std per metric, rank-1 rate). */
import type { FaceMetrics, MeanStd, MethodSummary } from './schema';
import { meanStdOf, pearsonOf } from './stats';

function summarise(values: readonly (number | null)[]): MeanStd {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0) return { mean: null, std: null, n: 0 };
  const { mean, std } = meanStdOf(finite);
  return { mean, std, n: finite.length };
}

/**
 * The summary of one method over its faces; throws on an empty list (a method always scores every face). When the
 * faces carry gradient ratios, the summary has their mean ± std and, given the mean gradient ratio of the run's HR
 * faces, the streak column (this method's mean over the HR's).
 */
export function summariseMethod(
  perFace: readonly FaceMetrics[],
  hrGradientRatioMean?: number,
): MethodSummary {
  if (perFace.length === 0) throw new Error('summariseMethod: no faces.');
  const psnr = perFace.map((f) => f.psnr);
  const cs = perFace.map((f) => f.cs);
  const paired = perFace.filter((f) => f.psnr !== null);
  const ratios = perFace.map((f) => f.gradientRatio);
  const streak = ratios.every((r) => r !== undefined) ? summarise(ratios) : undefined;
  return {
    psnr: summarise(psnr),
    ssim: summarise(perFace.map((f) => f.ssim)),
    consistency: summarise(perFace.map((f) => f.consistency)),
    cs: summarise(cs),
    rank1: perFace.filter((f) => f.rank1Hit).length / perFace.length,
    pearsonCsPsnr: pearsonOf(
      paired.map((f) => f.cs),
      paired.map((f) => f.psnr!),
    ),
    ...(streak ? { gradientRatio: streak } : {}),
    ...(streak && hrGradientRatioMean !== undefined
      ? { streak: streakOf(streak.mean, hrGradientRatioMean) }
      : {}),
  };
}

/** Mean gradient ratio of a method over the HR's; null when either is undefined or the HR's is 0. */
export function streakOf(methodMean: number | null, hrMean: number): number | null {
  return methodMean === null || !(hrMean > 0) ? null : methodMean / hrMean;
}
