/**
 * Messages between the inference host (main thread) and its worker thread: one request type in (WorkerJob, a union
 * discriminated by `kind`), one progress type out (EngineProgress), one result per request kind. Types and the lane
 * rule only; the jobs (jobs.ts, enhance-job.ts, face-job.ts) import them, never the other way round. Everything
 * sent is structured-clonable.
 */
import type { LrCalibrationFile } from '../../core/face/likelihood-ratio';
import type { EmbedderManifest, EmbedderName } from '../../core/face/manifest';
import type { Point, RgbImage } from '../../core/image/types';
import type { RunPlan } from '../../core/sampling/plan';
import type { ProviderName } from '../../shared/contract/run-params';
import type { ApiError } from '../../shared/errors';
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

/** Execute a planned run on one 16x16 LR face: the plan fixes the SDE, sampler, seed and candidates. */
export interface EnhanceJob {
  readonly kind: 'enhance';
  readonly model: ModelSpec;
  /** From planRun (core): nothing in it is decided again here. */
  readonly plan: RunPlan;
  /** The LR face: 16x16, values on the 8-bit grid (C2). */
  readonly lr: RgbImage;
}

/** The images and numbers of one enhancement, and how the model ran (telemetry). */
export interface EnhanceJobResult {
  readonly kind: 'enhance';
  readonly candidates: RgbImage[];
  /** The conditioning y = bicubic x8 of the LR, clamped to [0,1] for display. */
  readonly bicubic: RgbImage;
  readonly uncertainty: RgbImage;
  /** Mean over pixels of the per-pixel std across candidates ([0,1] scale). */
  readonly meanStd: number;
  /** C2 consistency of each candidate with the LR (MSE on the 0-255 scale). */
  readonly consistency: number[];
  readonly telemetry: RunTelemetry;
}

/** Which face models to use (models/face) and how many ORT threads each session gets. */
export interface FaceModelsSpec {
  readonly modelsDir: string;
  readonly threads: number;
}

/** One call on the face models: open them (and list the embedders), detect, landmarks from two eyes, or embed. */
export type FaceCall =
  | { readonly op: 'open' }
  | { readonly op: 'detect'; readonly image: RgbImage }
  | {
      readonly op: 'landmarks-from-eyes';
      readonly image: RgbImage;
      readonly rightEye: Point;
      readonly leftEye: Point;
    }
  | { readonly op: 'embed'; readonly crop: RgbImage; readonly embedder?: EmbedderName };

/** Face detection, landmarks or an identity embedding, on the face models the worker holds open. */
export interface FaceJob {
  readonly kind: 'face';
  readonly models: FaceModelsSpec;
  readonly call: FaceCall;
}

/** A face found by the worker (the face pipeline's DetectedFace, structured-clonable). */
export interface FaceFound {
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  readonly score: number;
  readonly landmarks: Point[];
  readonly meshScore: number;
}

/** What a face call answered, by op. */
export type FaceAnswer =
  | {
      readonly op: 'open';
      readonly defaultEmbedder: EmbedderName;
      readonly manifests: Readonly<Partial<Record<EmbedderName, EmbedderManifest>>>;
      /** Each embedder's score-to-LR calibrations that match its network (FacePipeline.lrCalibrations). */
      readonly lrCalibrations: Readonly<Partial<Record<EmbedderName, LrCalibrationFile | null>>>;
    }
  | { readonly op: 'detect'; readonly faces: FaceFound[] }
  | { readonly op: 'landmarks-from-eyes'; readonly points: Point[]; readonly meshScore: number }
  | { readonly op: 'embed'; readonly embedding: Float32Array };

/** A face job's answer, the thread that ran its ORT sessions (never the host's: threadId 0) and how long it took. */
export type FaceJobResult = FaceAnswer & {
  readonly kind: 'face';
  readonly threadId: number;
  readonly ms: number;
};

/** The one request type the worker takes: a job, discriminated by `kind`. */
export type WorkerJob = ScoreLoopJob | EnhanceJob | FaceJob;

/**
 * Jobs of one lane run one after another; the two lanes run side by side, so a face detection does not wait for a
 * long sampling run (its ORT calls interleave with the sampler's steps).
 */
export type JobLane = 'sampling' | 'face';

/** The lane a job runs in. */
export function laneOf(job: WorkerJob): JobLane {
  return job.kind === 'face' ? 'face' : 'sampling';
}

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
export type WorkerResult = ScoreLoopResult | EnhanceJobResult | FaceJobResult;

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
