import { z } from 'zod';

/** Progress of a long job (sampling run, export), sent from main to the renderer. */
export const JobProgressSchema = z.object({
  jobId: z.string(),
  step: z.number().int().nonnegative(),
  total: z.number().int().positive(),
  nfe: z.number().int().nonnegative(),
  elapsedMs: z.number().nonnegative(),
  etaMs: z.number().nonnegative().nullable(),
  message: z.string().optional(),
});
export type JobProgress = z.infer<typeof JobProgressSchema>;

export const jobEvents = {
  'job.progress': JobProgressSchema,
} as const;
