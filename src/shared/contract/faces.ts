import { z } from 'zod';

const Id = z.string().min(1).max(100);
const Pt = z.object({ x: z.number(), y: z.number() });

/** A face aligned into the canonical frame (C1) with its crop and LR (C2), both stored by SHA-256. */
export const FaceSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  evidenceId: z.string(),
  method: z.enum(['auto', 'manual']),
  /** The five landmarks in evidence pixel coordinates (eye centres, nose tip, mouth corners). */
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

export const faceCalls = {
  'faces.list': { input: z.object({ caseId: Id }).strict(), output: z.array(FaceSchema) },
  'comparisons.list': { input: z.object({ caseId: Id }).strict(), output: z.array(ComparisonSchema) },
} as const;
