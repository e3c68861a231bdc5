/**
 * Score-to-likelihood-ratio calibration for identity comparison (issue 19).
 *
 * A comparison score s (cosine similarity) becomes LR = p(s | same person) / p(s | different persons) through a
 * linear logistic model fitted with equal weight on the two classes, so its logit is the natural log LR:
 * ln LR = a * s + b. The LR is bounded to what the calibration data can support (|log10 LR| at most log10 of the
 * smaller class's pair count), so a score beyond the data never claims more than the data showed.
 *
 * Quality: Cllr (log-likelihood-ratio cost, in bits; 0 = perfect, 1 = a system that always says LR = 1) and
 * Cllr_min (the Cllr after the best monotone recalibration, by pool-adjacent-violators): Cllr - Cllr_min is the
 * loss from miscalibration.
 */

/** A fitted calibration of one embedder under one input condition. */
export interface LrCalibration {
  /** ln LR = slope * score + intercept (before bounding). */
  readonly slope: number;
  readonly intercept: number;
  /** log10 LR is clamped to [minLog10, maxLog10]. */
  readonly minLog10: number;
  readonly maxLog10: number;
}

/** A likelihood ratio with its place on the verbal scale. */
export interface LikelihoodRatio {
  readonly log10: number;
  readonly value: number;
  readonly verbal: string;
}

const LN10 = Math.log(10);

/** Fits the class-balanced linear logistic calibration by Newton's method on (slope, intercept). */
export function fitLrCalibration(genuine: readonly number[], impostor: readonly number[]): LrCalibration {
  if (genuine.length < 2 || impostor.length < 2)
    throw new Error('a calibration needs at least 2 genuine and 2 impostor scores');
  let a = 0;
  let b = 0;
  for (let iter = 0; iter < 100; iter++) {
    // Gradient and Hessian of the weighted cross-entropy; weights 1/(2N) per class.
    let g0 = 0;
    let g1 = 0;
    let h00 = 0;
    let h01 = 0;
    let h11 = 0;
    const acc = (scores: readonly number[], label: 0 | 1) => {
      const w = 1 / (2 * scores.length);
      for (const s of scores) {
        const p = 1 / (1 + Math.exp(-(a * s + b)));
        const r = (p - label) * w;
        g0 += r * s;
        g1 += r;
        const v = p * (1 - p) * w;
        h00 += v * s * s;
        h01 += v * s;
        h11 += v;
      }
    };
    acc(genuine, 1);
    acc(impostor, 0);
    const det = h00 * h11 - h01 * h01 + 1e-12;
    const da = (h11 * g0 - h01 * g1) / det;
    const db = (h00 * g1 - h01 * g0) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new Error('the calibration did not converge');
  const bound = Math.log10(Math.min(genuine.length, impostor.length));
  return { slope: a, intercept: b, minLog10: -bound, maxLog10: bound };
}

/** log10 LR of a score under a calibration (bounded). */
export function log10Lr(score: number, cal: LrCalibration): number {
  if (!Number.isFinite(score)) throw new Error('score must be finite');
  const raw = (cal.slope * score + cal.intercept) / LN10;
  return Math.min(cal.maxLog10, Math.max(cal.minLog10, raw));
}

/**
 * Verbal equivalent of an LR on the ENFSI guideline's scale (2015): 1-10 weak, 10-100 moderate, 100-1,000
 * moderately strong, 1,000-10,000 strong, 10^4-10^6 very strong, above extremely strong; LR < 1 reads the same
 * way for the different-person proposition.
 */
export function verbalScale(log10: number): string {
  const m = Math.abs(log10);
  if (m < 0.3) return 'no support for either proposition';
  const strength =
    m < 1
      ? 'weak'
      : m < 2
        ? 'moderate'
        : m < 3
          ? 'moderately strong'
          : m < 4
            ? 'strong'
            : m < 6
              ? 'very strong'
              : 'extremely strong';
  return `${strength} support for ${log10 > 0 ? 'same person' : 'different persons'}`;
}

/** The likelihood ratio of a score with its verbal scale. */
export function likelihoodRatio(score: number, cal: LrCalibration): LikelihoodRatio {
  const l = log10Lr(score, cal);
  return { log10: l, value: 10 ** l, verbal: verbalScale(l) };
}

/** Cllr in bits from natural-log LRs of genuine and impostor pairs. */
export function cllr(genuineLnLr: readonly number[], impostorLnLr: readonly number[]): number {
  if (genuineLnLr.length === 0 || impostorLnLr.length === 0) throw new Error('Cllr needs both classes');
  // log2(1 + e^x) computed stably.
  const softplus2 = (x: number) => (x > 30 ? x : Math.log1p(Math.exp(x))) / Math.LN2;
  let g = 0;
  for (const l of genuineLnLr) g += softplus2(-l);
  let i = 0;
  for (const l of impostorLnLr) i += softplus2(l);
  return 0.5 * (g / genuineLnLr.length + i / impostorLnLr.length);
}

/** Cllr of a calibration applied to scores (natural-log LRs from the bounded log10 LR). */
export function cllrOf(genuine: readonly number[], impostor: readonly number[], cal: LrCalibration): number {
  const ln = (s: number) => log10Lr(s, cal) * LN10;
  return cllr(genuine.map(ln), impostor.map(ln));
}

/**
 * Cllr_min: the Cllr of the optimal monotone score-to-LR map on these scores (pool-adjacent-violators on the
 * labels sorted by score, posteriors turned into LRs by the class proportions).
 */
export function cllrMin(genuine: readonly number[], impostor: readonly number[]): number {
  const items = [...genuine.map((s) => ({ s, y: 1 })), ...impostor.map((s) => ({ s, y: 0 }))].sort(
    (p, q) => p.s - q.s || p.y - q.y,
  );
  // PAV: blocks of (sum of labels, count), merged while a block's mean is not above the previous one's.
  const sum: number[] = [];
  const cnt: number[] = [];
  for (let i = 0; i < items.length;) {
    // Tied scores cannot be told apart: they start as one block.
    let j = i;
    let ys = 0;
    while (j < items.length && items[j]!.s === items[i]!.s) ys += items[j++]!.y;
    sum.push(ys);
    cnt.push(j - i);
    i = j;
    while (
      sum.length > 1 &&
      sum[sum.length - 2]! / cnt[cnt.length - 2]! >= sum[sum.length - 1]! / cnt[cnt.length - 1]!
    ) {
      const s = sum.pop()!;
      const c = cnt.pop()!;
      sum[sum.length - 1]! += s;
      cnt[cnt.length - 1]! += c;
    }
  }
  const priorLogOdds = Math.log(genuine.length / impostor.length);
  const g: number[] = [];
  const imp: number[] = [];
  let k = 0;
  for (let b = 0; b < sum.length; b++) {
    const p = sum[b]! / cnt[b]!;
    const lnLr = Math.log(p) - Math.log(1 - p) - priorLogOdds;
    for (let j = 0; j < cnt[b]!; j++, k++) (items[k]!.y === 1 ? g : imp).push(lnLr);
  }
  return cllr(g, imp);
}

/** Input conditions a calibration can be fitted for (the probe side; the reference is always a photo). */
export type LrCondition = 'hr' | 'bicubic16' | 'sr16-candidate0' | 'sr16-mean4';

/** What each condition means, for the screen and the report. */
export const LR_CONDITION_LABELS: Readonly<Record<LrCondition, string>> = {
  hr: 'photo vs photo',
  bicubic16: 'bicubic upscale of a 16x16 face vs photo',
  'sr16-candidate0': 'one SR candidate from a 16x16 face vs photo',
  'sr16-mean4': 'mean of 4 SR candidates from a 16x16 face vs photo',
};

/** One shipped calibration: the fit on all calibration identities and its held-out quality. */
export interface ShippedLrCalibration {
  readonly calibration: LrCalibration;
  /** Held-out Cllr and Cllr_min (bits) per fold; every Cllr is below 1 or it is not shipped. */
  readonly heldOut: readonly { readonly cllr: number; readonly cllrMin: number }[];
  /** For SR conditions: the score model and preset the candidates came from (a label). */
  readonly scoreModel?: string;
  /**
   * For SR conditions: the SHA-256 of that score model's ONNX and the preset. Scores of another model's (or
   * preset's) candidates have other distributions, so the calibration is not applied to them.
   */
  readonly scoreModelSha256?: string;
  readonly preset?: string;
}

/** models/face/<embedder>.lr.json: an embedder's calibrations by condition. */
export interface LrCalibrationFile {
  readonly embedder: string;
  readonly embedderSha256: string;
  readonly protocol: string;
  readonly command: string;
  readonly conditions: Partial<Readonly<Record<LrCondition, ShippedLrCalibration>>>;
}

/** The LR fields a comparison record carries (flat, in its `calibration` JSON). */
export interface ComparisonLrFields {
  readonly lrLog10: number;
  readonly lrVerbal: string;
  readonly lrCondition: string;
  readonly lrCllr: number;
  readonly lrCalibratedFor: string;
}

/** Where compared SR candidates came from: the run's score model and preset. */
export interface CandidateSource {
  readonly modelId: string;
  readonly modelSha256: string;
  readonly preset: string;
}

/** Why a comparison has no LR (recorded and shown in place of one). */
export interface ComparisonLrWithheld {
  readonly lrWithheld: string;
}

/**
 * The LR of a score under an embedder's shipped calibration for `condition`, as comparison fields, or the reason
 * there is none: no shipped calibration for the condition, or (SR conditions) candidates from another score model
 * or preset than the calibration was fitted on. `lrCllr` is the worst held-out Cllr of the fit.
 */
export function comparisonLr(
  score: number,
  file: LrCalibrationFile | null,
  condition: LrCondition,
  candidates?: CandidateSource,
): ComparisonLrFields | ComparisonLrWithheld {
  const shipped = file?.conditions[condition];
  if (!shipped) return { lrWithheld: `no calibration for ${LR_CONDITION_LABELS[condition]}` };
  if (
    shipped.scoreModelSha256 &&
    (!candidates ||
      candidates.modelSha256 !== shipped.scoreModelSha256 ||
      candidates.preset !== shipped.preset)
  ) {
    const used = candidates ? `${candidates.modelId}, ${candidates.preset} preset` : 'an unknown model';
    return {
      lrWithheld: `no calibration for these candidates (${used}): the LR calibration was fitted on candidates of ${shipped.scoreModel ?? shipped.scoreModelSha256}`,
    };
  }
  const lr = likelihoodRatio(score, shipped.calibration);
  return {
    lrLog10: Math.round(lr.log10 * 1000) / 1000,
    lrVerbal: lr.verbal,
    lrCondition: LR_CONDITION_LABELS[condition],
    lrCllr: Math.max(...shipped.heldOut.map((h) => h.cllr)),
    lrCalibratedFor: shipped.scoreModel
      ? `${LR_CONDITION_LABELS[condition]} (candidates of ${shipped.scoreModel})`
      : LR_CONDITION_LABELS[condition],
  };
}

/** Reads the LR fields back from a comparison's calibration record (null if it has none). */
export function readComparisonLr(calibration: Readonly<Record<string, unknown>>): ComparisonLrFields | null {
  const { lrLog10, lrVerbal, lrCondition, lrCllr, lrCalibratedFor } = calibration;
  if (typeof lrLog10 !== 'number' || typeof lrVerbal !== 'string' || typeof lrCondition !== 'string')
    return null;
  return {
    lrLog10,
    lrVerbal,
    lrCondition,
    lrCllr: typeof lrCllr === 'number' ? lrCllr : NaN,
    lrCalibratedFor: typeof lrCalibratedFor === 'string' ? lrCalibratedFor : lrCondition,
  };
}

/** Why a stored comparison has no LR, or null (it has one, or predates the field). */
export function readLrWithheld(calibration: Readonly<Record<string, unknown>>): string | null {
  return typeof calibration.lrWithheld === 'string' ? calibration.lrWithheld : null;
}

/** An LR for display in plain ASCII (the PDF's standard fonts): "LR 71 (log10 +1.85)", "LR 1/12 (log10 -1.08)". */
export function formatLr(log10: number): string {
  const v = 10 ** log10;
  const approx =
    v >= 10
      ? Math.round(v).toLocaleString('en-GB')
      : v >= 1
        ? v.toFixed(2)
        : `1/${(1 / v).toFixed(v > 0.1 ? 2 : 0)}`;
  return `LR ${approx} (log10 ${log10 >= 0 ? '+' : ''}${log10.toFixed(2)})`;
}
