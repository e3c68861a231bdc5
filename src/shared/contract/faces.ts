import { z } from 'zod';

const Id = z.string().min(1).max(100);
const Pt = z.object({ x: z.number(), y: z.number() });

/** A face aligned into the canonical frame (C1) with its crop and LR (C2), both stored by SHA-256. */
export const FaceSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  evidenceId: z.string(),
  /**
   * 'auto' detected, 'manual' placed points, 'aligned' the evidence is itself an aligned crop (no points), 'lr16' the
   * evidence is itself the 16x16 LR face (no crop: cropSha256 names the LR, and nothing embeds it).
   */
  method: z.enum(['auto', 'manual', 'aligned', 'lr16']),
  /** The landmarks in evidence pixel coordinates (eye centres, nose tip, mouth corners); none for 'aligned', 'lr16'. */
  points: z.array(Pt),
  /** The similarity transform evidence -> canonical frame, as [a, b, tx, c, d, ty] (x' = a x + b y + tx). */
  transform: z.array(z.number()).length(6),
  cropSha256: z.string(),
  lrSha256: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type Face = z.infer<typeof FaceSchema>;

/** A comparison of an SR candidate (or a probe) with a reference photo by an embedder (C4). */
export const ComparisonSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  outputId: z.string().nullable(),
  probeEvidenceId: z.string().nullable(),
  referenceEvidenceId: z.string(),
  embedderId: z.string(),
  embedderSha256: z.string(),
  score: z.number(),
  calibrationPercentile: z.number().nullable(),
  calibration: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type Comparison = z.infer<typeof ComparisonSchema>;

const Finite = z.number().finite();
const UserPoint = z.object({ x: Finite, y: Finite }).strict();

/** A face the detector found in an evidence image (image px of the decoded, EXIF-rotated image). */
export const DetectedFaceSchema = z.object({
  /** Position in the detection list: what `faces.align` with method 'auto' refers to. */
  index: z.number().int(),
  box: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }),
  /** BlazeFace confidence in [0,1]. */
  score: z.number(),
  /** FaceMesh face-presence confidence of the refined crop. */
  meshScore: z.number(),
  /** Eye centres (image-left first), nose tip, mouth corners. */
  landmarks: z.array(Pt).length(5),
});
export type DetectedFace = z.infer<typeof DetectedFaceSchema>;

/** Shown with every comparison score: it places a score, it never identifies anyone. */
export const COMPARISON_CAVEAT =
  'A similarity score shows where this pair falls among measured same-person and different-person pairs; ' +
  'it is not an identification.';

/**
 * Alignment input: a detection by index, 2 (eye centres) or 5 user-placed landmarks in image px, the whole image as
 * an aligned crop, or the whole (16x16) image as the LR face.
 */
export const AlignInput = z.discriminatedUnion('method', [
  z
    .object({ caseId: Id, evidenceId: Id, method: z.literal('auto'), detection: z.number().int().min(0) })
    .strict(),
  z
    .object({
      caseId: Id,
      evidenceId: Id,
      method: z.literal('manual'),
      points: z.array(UserPoint).refine((p) => p.length === 2 || p.length === 5, {
        message: 'Place 2 points (the eye centres) or 5 (eyes, nose tip, mouth corners).',
      }),
      /**
       * With 2 eye points: let FaceMesh place all five landmarks in the eye region enlarged to its input (for
       * faces too small for the detector); used only when FaceMesh finds a face there.
       */
      refine: z.boolean().default(false),
    })
    .strict(),
  /** The evidence is itself an aligned square face crop (C1), resized to 128x128 when it is another size. */
  z.object({ caseId: Id, evidenceId: Id, method: z.literal('aligned') }).strict(),
  /** The evidence is itself the 16x16 LR face (C2): no crop; the transform maps it onto the 128x128 frame (x8). */
  z.object({ caseId: Id, evidenceId: Id, method: z.literal('lr16') }).strict(),
]);

/** One r of a sweep and the CS of each of its candidates to the reference (none until the run is done). */
export const SweepSimilarityPointSchema = z.object({
  runId: z.string(),
  r: z.number(),
  status: z.string(),
  scores: z.array(
    z.object({
      candidateIndex: z.number().int(),
      outputId: z.string(),
      comparisonId: z.string(),
      score: z.number(),
    }),
  ),
  /** The mean CS of the run's candidates; null before the run is done. */
  mean: z.number().nullable(),
});
export type SweepSimilarityPoint = z.infer<typeof SweepSimilarityPointSchema>;

/** The cosine similarities of an r sweep's candidates to one reference face, in r order. */
export const SweepSimilaritySchema = z.object({
  sweepId: z.string(),
  referenceFaceId: z.string(),
  referenceEvidenceId: z.string(),
  embedderId: z.string(),
  points: z.array(SweepSimilarityPointSchema),
  caveat: z.string(),
  /**
   * "SAME SOURCE: why" when the sweep's comparisons with this reference were recorded flagged same-source (the
   * examiner insisted with `allowSameSource`); absent otherwise.
   */
  sameSource: z.string().optional(),
});
export type SweepSimilarity = z.infer<typeof SweepSimilaritySchema>;

export const faceCalls = {
  'faces.list': { input: z.object({ caseId: Id }).strict(), output: z.array(FaceSchema) },
  'comparisons.list': { input: z.object({ caseId: Id }).strict(), output: z.array(ComparisonSchema) },
  /** Finds faces and their five landmarks in an evidence image. */
  'faces.detect': {
    input: z.object({ caseId: Id, evidenceId: Id }).strict(),
    output: z.object({
      evidenceId: z.string(),
      width: z.number().int(),
      height: z.number().int(),
      faces: z.array(DetectedFaceSchema),
    }),
  },
  /**
   * Aligns a face to C1 (auto: a detection; manual: user points; aligned: the image as is), stores crop + LR, audits
   * it; lr16: the 16x16 image is the LR, stored alone.
   */
  'faces.align': {
    input: AlignInput,
    output: z.object({
      face: FaceSchema,
      /** RMS distance (crop px) of the mapped points from the C1 template. */
      residualPx: z.number(),
      /** FaceMesh's face-presence score when 2 points were refined, else null. */
      meshScore: z.number().nullable(),
      /** True when the stored five landmarks came from refining 2 user points. */
      refined: z.boolean(),
    }),
  },
  /**
   * Compares each candidate of a done run, and its candidate mean, with an aligned reference face by the default
   * embedder. Refused when the run's input and the reference come from the same source (same file, same image
   * hash, or HR embeddings closer than different photos of one person come), unless `allowSameSource`: then every
   * comparison is recorded flagged SAME SOURCE.
   */
  'comparisons.run': {
    input: z
      .object({ caseId: Id, runId: Id, referenceFaceId: Id, allowSameSource: z.boolean().optional() })
      .strict(),
    output: z.object({ comparisons: z.array(ComparisonSchema), caveat: z.string() }),
  },
  /**
   * The r sweep's cosine similarities (CS) to a reference face: every candidate of every done run of the sweep,
   * compared by the default embedder through comparisons.run's path (each comparison recorded and audited once;
   * a candidate already compared with this reference face by this embedder keeps its comparison).
   */
  'comparisons.sweep': {
    input: z
      .object({ caseId: Id, sweepId: Id, referenceFaceId: Id, allowSameSource: z.boolean().optional() })
      .strict(),
    output: SweepSimilaritySchema,
  },
} as const;

/** The likelihood ratio a comparison carries (issue 19), read from its calibration record, and its display. */
export {
  formatLr,
  readComparisonLr,
  readLrWithheld,
  type ComparisonLrFields,
} from '../../core/face/likelihood-ratio';

/**
 * The resolution guard (issue 28) as the run view shows it: a face's size in its still, from its stored transform,
 * and the warning main's reports and run records carry for the same face.
 */
export { resolutionCheck, type ResolutionCheck } from '../../core/face/resolution';
