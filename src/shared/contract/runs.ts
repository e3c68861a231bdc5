import { z } from 'zod';
import { PresetName, ReproRecordSchema, RunSettingsSchema } from './run-params';

const Id = z.string().min(1).max(100);

export const RunStatus = z.enum(['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;

/**
 * The kinds of stored output: an AI-generated candidate, the bicubic baseline (no AI), the uncertainty map (the
 * candidates' per-pixel spread) and the candidate mean (their per-pixel average, runs with two or more candidates).
 */
export const RunOutputKind = z.enum(['candidate', 'bicubic', 'uncertainty', 'mean']);
export type RunOutputKind = z.infer<typeof RunOutputKind>;

/** One stored output image of a run. */
export const RunOutputSchema = z.object({
  id: z.string(),
  kind: RunOutputKind,
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

/**
 * A run's settings resolved the way the runs service will run them (runs.plan): the model the registry picks, the
 * preset's sampler with the user's overrides (N, M, r), the candidates and the network evaluations. The seed is
 * the one given, or null when main draws it at queue time.
 */
export const RunPlanSummarySchema = z.object({
  model: z.object({ id: z.string(), sha256: z.string(), sde: z.enum(['ve', 'vp', 'subvp']) }),
  preset: PresetName,
  sampler: z.object({
    kind: z.enum(['pc', 'heun', 'dpm-solver']),
    /** N. */
    steps: z.number().int(),
    /** M: corrector steps per step (0 without a corrector). */
    correctorSteps: z.number().int(),
    /** r: the Langevin signal-to-noise ratio, null without a corrector. */
    snr: z.number().nullable(),
  }),
  candidates: z.number().int(),
  /** Network evaluations of the whole batch of candidates (they go through the network together). */
  nfe: z.number().int(),
  seed: z.string().nullable(),
});
export type RunPlanSummary = z.infer<typeof RunPlanSummarySchema>;

export const runCalls = {
  'runs.plan': { input: z.object({ settings: RunSettingsSchema }).strict(), output: RunPlanSummarySchema },
  'runs.list': { input: z.object({ caseId: Id }).strict(), output: z.array(RunSchema) },
  'runs.get': { input: z.object({ runId: Id }).strict(), output: RunSchema },
  /**
   * Queues a run of a face of a still (probe). A face of a reference photo is refused unless `enhanceReference`
   * says the examiner confirmed enhancing a reference photo (recorded in the run's audit event).
   */
  'runs.enqueue': {
    input: z
      .object({
        caseId: Id,
        faceId: Id,
        settings: RunSettingsSchema,
        enhanceReference: z.boolean().optional(),
      })
      .strict(),
    output: RunSchema,
  },
  /**
   * An r sweep (paper Fig. 4): one SDE-VEcs run per signal-to-noise ratio r, same face, seed and settings, tied
   * together by a sweep id in their settings. Returns the queued runs in r order.
   */
  'runs.sweep': {
    input: z
      .object({
        caseId: Id,
        faceId: Id,
        settings: RunSettingsSchema,
        snrs: z.array(z.number().gt(0).max(1)).min(2).max(8),
        enhanceReference: z.boolean().optional(),
      })
      .strict(),
    output: z.array(RunSchema),
  },
  'runs.cancel': { input: z.object({ runId: Id }).strict(), output: RunSchema },
  'runs.rerun': { input: z.object({ runId: Id }).strict(), output: RunSchema },
} as const;

/** A run changed state (queued, started, finished, …); the UI refetches it with runs.get. */
export const RunChangedSchema = z.object({ runId: z.string(), caseId: z.string(), status: RunStatus });

export const runEvents = {
  'runs.changed': RunChangedSchema,
} as const;
