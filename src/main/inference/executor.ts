/**
 * The inference engine behind the runs service: an implementation of the backend's RunExecutor
 * (src/main/services/run-executor.ts). Cancellation rejects with FacetError code 'cancelled'.
 */
import type { RgbImage } from '../../core/image/types';
import type { ReproRecord, RunSettings } from '../../shared/contract/run-params';
import { FacetError } from '../../shared/errors';
import { enhance } from './enhance';
import { InferenceEngine } from './engine';
import { ModelRegistry } from './registry';

/** One queued run as the runs service hands it over. */
export interface ExecutorJob {
  readonly runId: string;
  readonly settings: RunSettings;
  readonly lr: RgbImage;
  readonly crop: RgbImage | null;
}

/** Progress as the runs service relays it (JobProgress without the job id). */
export interface ExecutorProgress {
  readonly step: number;
  readonly total: number;
  readonly nfe: number;
  readonly elapsedMs: number;
  readonly etaMs: number | null;
}

/** Per-run callbacks and the cancel signal. */
export interface ExecutorContext {
  onProgress(p: ExecutorProgress): void;
  readonly signal: AbortSignal;
}

/** What a finished run produced. */
export interface ExecutorResult {
  readonly record: ReproRecord;
  readonly candidates: RgbImage[];
  readonly bicubic: RgbImage;
  readonly uncertainty: RgbImage;
  readonly consistency: number[];
}

/** The executor and a way to stop its worker. */
export interface InferenceExecutor {
  execute(job: ExecutorJob, ctx: ExecutorContext): Promise<ExecutorResult>;
  close(): Promise<void>;
}

/** Options: share an engine or registry, cap ORT memory per call, point at the bundled worker file. */
export interface InferenceExecutorOptions {
  readonly engine?: InferenceEngine;
  readonly registry?: ModelRegistry;
  readonly memoryCapBytes?: number;
  readonly workerPath?: string;
}

/** Creates the executor; models are looked up by `settings.modelId` (an id, or an SDE kind for its best model). */
export function createInferenceExecutor(options: InferenceExecutorOptions = {}): InferenceExecutor {
  const engine = options.engine ?? new InferenceEngine({ workerPath: options.workerPath });
  const registry = options.registry ?? ModelRegistry.fromDisk();
  return {
    async execute(job, ctx) {
      const model = registry.resolve(job.settings.modelId);
      const out = await enhance(
        engine,
        { settings: job.settings, model, lr: job.lr, crop: job.crop, memoryCapBytes: options.memoryCapBytes },
        { signal: ctx.signal, onProgress: (p) => ctx.onProgress(p) },
      );
      if (out.status === 'cancelled') throw new FacetError('cancelled', `Run ${job.runId} was cancelled.`);
      const { record, candidates, bicubic, uncertainty, consistency } = out.result;
      return { record, candidates, bicubic, uncertainty, consistency };
    },
    close: () => engine.close(),
  };
}
