/**
 * The seam between the runs service (queue, persistence, audit) and the sampling engine. The inference engine
 * implements it; the runs service and `facet verify` call it. Nothing here knows about ONNX.
 */
import type { RgbImage } from '../../core/image/types';
import type { RunPlan } from '../../core/sampling/plan';
import type { ProviderName, ReproRecord, RunSettings } from '../../shared/contract';
import type { EngineProgress, RunTelemetry } from './protocol';

/** One sampling job: the run's plan, how to run it, and its inputs. */
export interface RunJob {
  readonly runId: string;
  /** The settings as stored, with the seed fixed at queue time (provider and threads are read from them). */
  readonly settings: RunSettings & { readonly seed: string };
  /** What to sample, decided once by `plan` (or taken from a C7 record to reproduce it); executed as is. */
  readonly plan: RunPlan;
  /** The 16x16 LR face (C2). */
  readonly lr: RgbImage;
  /** The 128x128 aligned crop (C1), when the run starts from one. */
  readonly crop: RgbImage | null;
}

/** Coarse progress of a job: the worker's one progress type, passed through as is. */
export type RunProgress = EngineProgress;

/** What a finished job returns: its C7 record and its images. */
export interface RunResult {
  readonly record: ReproRecord;
  /** The SR candidates, 128x128, in candidate order. */
  readonly candidates: readonly RgbImage[];
  /** The bicubic upscale of the LR, 128x128. */
  readonly bicubic: RgbImage;
  /** Per-pixel spread of the candidates, 128x128. */
  readonly uncertainty: RgbImage;
  /** Consistency (C2) of each candidate, in candidate order. */
  readonly consistency: readonly number[];
  /** Mean over pixels of the per-pixel std across candidates ([0,1] scale), when the executor measures it. */
  readonly meanStd?: number;
  /** How the model ran (provider, threads, timings), when the executor reports it; not stored with the run. */
  readonly telemetry?: RunTelemetry;
}

/** Plans and runs sampling jobs. `execute` must honour `signal` (reject soon after it aborts) and report progress. */
export interface RunExecutor extends TimingExecutor {
  /** The run's plan: its model resolved and planRun (core) applied; a FacetError when they do not fit. */
  plan(settings: RunSettings & { readonly seed: string }): RunPlan;
  execute(
    job: RunJob,
    ctx: { onProgress(p: RunProgress): void; readonly signal: AbortSignal },
  ): Promise<RunResult>;
}

/** A request to time forwards of a score model (no sampler) at one batch size. */
export interface BenchmarkRequest {
  readonly modelId: string;
  readonly provider: ProviderName;
  readonly batch: number;
}

/** Measured ms per forward, how many forwards were timed, and the provider that ran. */
export interface BenchmarkResult {
  readonly msPerNfe: number;
  readonly forwards: number;
  readonly provider: ProviderName;
  readonly providerFallback: string | null;
}

/** An executor that can also time a model (the inference engine does). */
export interface TimingExecutor {
  benchmark?(req: BenchmarkRequest): Promise<BenchmarkResult>;
}
