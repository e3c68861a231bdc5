/** Messages between the inference host (main thread) and its worker thread. Everything here is structured-clonable. */
import type { ProviderName } from '../../shared/contract/run-params';
import type { ApiError } from '../../shared/errors';
import type { EnhanceJob, EnhanceJobResult } from './enhance-job';
import type { ScoreModelEntry } from './manifest';

/** Which model to use and how to run it. */
export interface ModelSpec {
  readonly entry: ScoreModelEntry;
  readonly provider: ProviderName;
  readonly threads: number;
  readonly memoryCapBytes?: number;
}

/** Calls the score model `steps` times on a fixed batch: the bench's sampler-free loop and a health check. */
export interface ScoreLoopJob {
  readonly kind: 'score-loop';
  readonly model: ModelSpec;
  readonly batch: number;
  readonly steps: number;
  /**
   * Fault injection for health checks and tests: the worker thread exits with code 3 right after this step's score
   * call has returned (never while an onnxruntime call is in flight, which would abort the whole process).
   */
  readonly exitAfterStep?: number;
}

/** A job the worker runs. */
export type WorkerJob = ScoreLoopJob | EnhanceJob;

/** Progress of the running job (DESIGN.md: step, NFE, elapsed, ETA). */
export interface EngineProgress {
  readonly step: number;
  readonly total: number;
  readonly nfe: number;
  readonly elapsedMs: number;
  readonly etaMs: number | null;
}

/** What every finished job reports about the model run. */
export interface RunTelemetry {
  readonly provider: ProviderName;
  /** Why the requested provider was not used, or null. */
  readonly providerFallback: string | null;
  readonly threads: number;
  readonly nfe: number;
  readonly ortCalls: number;
  readonly ortMs: number;
  readonly wallMs: number;
  /** Wall time of the sampling loop alone (score calls + the sampler's vector work), ms. */
  readonly samplingMs: number;
  /** Largest resident set size of the process during the run, bytes. */
  readonly peakRssBytes: number;
  /** Largest batch one ORT call took. */
  readonly maxBatch: number;
}

/** Result of a score-loop job. */
export interface ScoreLoopResult {
  readonly kind: 'score-loop';
  readonly telemetry: RunTelemetry;
  /** A checksum of the last score, so the loop cannot be optimised away and results can be compared. */
  readonly checksum: number;
}

/** Result of any job. */
export type WorkerResult = ScoreLoopResult | EnhanceJobResult;

/** Host -> worker. `cancel` is an Int32Array over shared memory: element 0 set to 1 cancels the job. */
export type ToWorker = {
  readonly type: 'run';
  readonly jobId: number;
  readonly job: WorkerJob;
  readonly cancel: Int32Array;
};

/** Worker -> host. */
export type FromWorker =
  | { readonly type: 'progress'; readonly jobId: number; readonly progress: EngineProgress }
  | { readonly type: 'done'; readonly jobId: number; readonly result: WorkerResult }
  | { readonly type: 'cancelled'; readonly jobId: number }
  | { readonly type: 'error'; readonly jobId: number; readonly error: ApiError };
