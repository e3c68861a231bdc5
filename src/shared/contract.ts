/**
 * The one API contract between the renderer and main (DESIGN.md section 2). Electron IPC, the CLI and the
 * E2E harness all go through it; main validates every payload against these schemas before a service runs.
 */
import { z } from 'zod';
import type { Result } from './errors';

/** A case: the unit of work an investigator opens, holding evidence, runs and reports. */
export const CaseSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  status: z.enum(['open', 'closed']),
});
export type Case = z.infer<typeof CaseSchema>;

const CaseName = z
  .string()
  .trim()
  .min(1, 'A case name is required.')
  .max(200, 'A case name has at most 200 characters.')
  .refine((s) => ![...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f), {
    message: 'A case name cannot contain control characters.',
  });

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

/** Every request/response call: its input schema (validated in main) and output schema. */
export const calls = {
  'cases.list': { input: z.object({}).strict(), output: z.array(CaseSchema) },
  'cases.create': { input: z.object({ name: CaseName }).strict(), output: CaseSchema },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

/** Every event main pushes to the renderer. */
export const events = {
  'job.progress': JobProgressSchema,
} as const satisfies Record<string, z.ZodType>;

export type Channel = keyof typeof calls;
export type CallInput<C extends Channel> = z.input<(typeof calls)[C]['input']>;
/** The input after validation (trimmed, defaults applied): what a handler receives. */
export type ParsedInput<C extends Channel> = z.output<(typeof calls)[C]['input']>;
export type CallOutput<C extends Channel> = z.output<(typeof calls)[C]['output']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** The IPC channel names used by the Electron shell. */
export const IPC_INVOKE = 'facet:invoke';
export const IPC_EVENT = 'facet:event';

/** What the preload exposes as `window.facet`, and what the E2E harness installs in its place. */
export interface FacetBridge {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
}

/** True when `name` is a channel of the contract. */
export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name);
}
