import { z } from 'zod';
import { ReproRecordSchema, RunSettingsSchema } from './run-params';

const Id = z.string().min(1).max(100);

export const RunStatus = z.enum(['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;

/** One stored output image of a run: a candidate, the bicubic baseline or the uncertainty map. */
export const RunOutputSchema = z.object({
  id: z.string(),
  kind: z.enum(['candidate', 'bicubic', 'uncertainty']),
  index: z.number().int(),
  /** SHA-256 of the stored PNG file (its content address). */
  sha256: z.string(),
  /** SHA-256 of the float32 little-endian HWC pixels the executor returned (what reproduction compares). */
  pixelsSha256: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  metrics: z.record(z.string(), z.number()),
});
export type RunOutput = z.infer<typeof RunOutputSchema>;

/** A persisted sampling run (C7) with its queue state. */
export const RunSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  faceId: z.string(),
  rerunOf: z.string().nullable(),
  device: z.string(),
  settings: RunSettingsSchema,
  seed: z.string(),
  record: ReproRecordSchema.nullable(),
  status: RunStatus,
  progress: z.object({ step: z.number().int(), total: z.number().int() }),
  error: z.string().nullable(),
  queuedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  outputs: z.array(RunOutputSchema),
});
export type Run = z.infer<typeof RunSchema>;

export const runCalls = {
  'runs.list': { input: z.object({ caseId: Id }).strict(), output: z.array(RunSchema) },
  'runs.get': { input: z.object({ runId: Id }).strict(), output: RunSchema },
  'runs.enqueue': {
    input: z.object({ caseId: Id, faceId: Id, settings: RunSettingsSchema }).strict(),
    output: RunSchema,
  },
  'runs.cancel': { input: z.object({ runId: Id }).strict(), output: RunSchema },
  'runs.rerun': { input: z.object({ runId: Id }).strict(), output: RunSchema },
} as const;

/** A run changed state (queued, started, finished, …); the UI refetches it with runs.get. */
export const RunChangedSchema = z.object({ runId: z.string(), caseId: z.string(), status: RunStatus });

export const runEvents = {
  'runs.changed': RunChangedSchema,
} as const;
