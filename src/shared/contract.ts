/**
 * The one API contract between the renderer and main (DESIGN.md section 2). Electron IPC, the CLI and the
 * E2E harness all go through it; main validates every payload against these schemas before a service runs.
 * Each area declares its calls in `contract/<area>.ts`; this file joins them.
 */
import type { z } from 'zod';
import { auditCalls } from './contract/audit';
import { caseCalls } from './contract/cases';
import { evidenceCalls } from './contract/evidence';
import { dialogCalls } from './contract/dialogs';
import { faceCalls } from './contract/faces';
import { objectCalls } from './contract/objects';
import { reportCalls } from './contract/reports';
import { runCalls, runEvents } from './contract/runs';
import { jobEvents } from './contract/jobs';
import { modelCalls } from './contract/models';
import { settingsCalls } from './contract/settings';
import type { Result } from './errors';

export * from './contract/audit';
export * from './contract/cases';
export * from './contract/evidence';
export * from './contract/dialogs';
export * from './contract/faces';
export * from './contract/objects';
export * from './contract/reports';
export * from './contract/runs';
export * from './contract/jobs';
export * from './contract/run-params';
export * from './contract/models';
export * from './contract/settings';

/** Every request/response call: its input schema (validated in main) and output schema. */
export const calls = {
  ...caseCalls,
  ...evidenceCalls,
  ...faceCalls,
  ...runCalls,
  ...auditCalls,
  ...reportCalls,
  ...objectCalls,
  ...dialogCalls,
  ...modelCalls,
  ...settingsCalls,
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

/** Every event main pushes to the renderer. */
export const events = {
  ...jobEvents,
  ...runEvents,
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
/** The channel on which the preload hands main the OS paths of files the user dropped (see FacetBridge). */
export const IPC_DROPPED = 'facet:dropped';

/** A file the user dropped: the DOM's File (typed loosely, as shared code has no DOM types). */
export interface DroppedFile {
  readonly name: string;
}

/** What the preload exposes as `window.facet`, and what the E2E harness installs in its place. */
export interface FacetBridge {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  /**
   * Lets main read files the user dropped and returns their paths, for `evidence.import`. Only real dropped
   * files have a path (Electron's webUtils); any other File refuses the whole call.
   */
  importDropped(files: readonly DroppedFile[]): Promise<Result<readonly string[]>>;
}

/** True when `name` is a channel of the contract. */
export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name);
}
