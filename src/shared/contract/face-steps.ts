import { z } from 'zod';
import { ComparisonSchema, FaceSchema } from './faces';

const Id = z.string().min(1).max(100);
const Pt = z.object({ x: z.number().finite(), y: z.number().finite() });

/** A face the detector found on a still: box, confidence and the five C1 landmarks, in still pixels. */
export const DetectionSchema = z.object({
  box: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }),
  score: z.number(),
  points: z.array(Pt),
});
export type FaceDetection = z.infer<typeof DetectionSchema>;

/** The face step: detect faces on an evidence still, and align one (detected or placed by hand) into C1. */
export const faceStepCalls = {
  'faces.detect': { input: z.object({ evidenceId: Id }).strict(), output: z.array(DetectionSchema) },
  'faces.align': {
    input: z
      .object({
        evidenceId: Id,
        method: z.enum(['auto', 'manual']),
        points: z.array(Pt).refine((p) => p.length === 2 || p.length === 5, {
          message: 'Give the two eye centres, or all five points (eyes, nose tip, mouth corners).',
        }),
      })
      .strict(),
    output: FaceSchema,
  },
  /** Embeds the reference photo's face and every image of a run (candidates, bicubic) and records the scores. */
  'comparisons.create': {
    input: z.object({ caseId: Id, referenceEvidenceId: Id, runId: Id }).strict(),
    output: z.array(ComparisonSchema),
  },
} as const;
