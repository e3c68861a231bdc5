/**
 * The sampling API: what the inference engine calls and what the core implements. Everything here is pure data
 * and functions; the score model is injected, so the ONNX model is only one implementation of `ScoreFn`.
 */

/** A dense float32 tensor; `shape[0]` is the batch dimension. */
export interface Tensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/**
 * The score model s_theta(x, y, t) over a batch: x is the SDE state in the model's data range, y the conditioning
 * (same batch size as x), t the SDE time per batch item. Returns the score with x's shape.
 */
export type ScoreFn = (x: Tensor, y: Tensor, t: Float32Array) => Promise<Float32Array>;

/** The forward SDE and its parameters (DESIGN.md section 1). */
export type SdeConfig =
  | { readonly kind: 've'; readonly sigmaMin: number; readonly sigmaMax: number }
  | { readonly kind: 'vp'; readonly betaMin: number; readonly betaMax: number }
  | { readonly kind: 'subvp'; readonly betaMin: number; readonly betaMax: number };

/** The sampler and its parameters. */
export type SamplerConfig =
  | {
      /** Predictor-corrector sampler of Song et al.: corrector then predictor at each of N steps. */
      readonly kind: 'pc';
      readonly predictor: 'reverse-diffusion' | 'euler-maruyama' | 'none';
      readonly corrector: 'langevin' | 'none';
      /** Number of steps N. */
      readonly steps: number;
      /** Corrector steps per predictor step M. */
      readonly correctorSteps: number;
      /** Langevin signal-to-noise ratio r. */
      readonly snr: number;
      /** Smallest time of the grid. */
      readonly eps: number;
    }
  | {
      /** Deterministic probability-flow ODE, Heun's 2nd order on the Karras/EDM sigma schedule. */
      readonly kind: 'heun';
      readonly steps: number;
      readonly rho: number;
      readonly eps: number;
      /** Optional stochasticity (EDM's S_churn); 0 = deterministic. */
      readonly churn: number;
    }
  | {
      /**
       * DPM-Solver++ multistep (data prediction, uniform in log-SNR), NFE = steps. Made for VP/subVP; VE works as
       * the case m(t) = 1.
       */
      readonly kind: 'dpm-solver';
      readonly steps: number;
      readonly order: 2 | 3;
      readonly eps: number;
    };

/** A stream of standard normals for one candidate (DESIGN.md C5, docs/specs/c5-noise.md). */
export interface NoiseStream {
  /** The next draw of `n` float32 normals. */
  next(n: number): Float32Array;
}

/** Progress after each step; NFE counts network evaluations of the batch. */
export interface SamplingProgress {
  readonly step: number;
  readonly total: number;
  readonly nfe: number;
}

/** One call to a sampler: B candidates sampled together, candidate b drawing noise only from `noise[b]`. */
export interface SampleRequest {
  readonly sde: SdeConfig;
  readonly sampler: SamplerConfig;
  /** Shape of one sample, e.g. [3, 128, 128]. */
  readonly sampleShape: readonly number[];
  /** Conditioning, batch B with y's per-item shape as the model expects. */
  readonly y: Tensor;
  readonly score: ScoreFn;
  /** One noise stream per candidate; its length is the batch size B. */
  readonly noise: readonly NoiseStream[];
  /**
   * Optional LR data consistency: projects a clean estimate (in [0,1], batch B) so that its C2 downscale equals
   * the LR input. Off when absent.
   */
  readonly project?: (x0: Tensor) => Tensor;
  readonly onProgress?: (p: SamplingProgress) => void;
  readonly signal?: CancelSignal;
}

/** The part of AbortSignal the core needs (core has no DOM or Node types). */
export interface CancelSignal {
  readonly aborted: boolean;
}

/** Thrown when a sampling call is cancelled through its AbortSignal; it is not a failure. */
export class SamplingCancelled extends Error {
  constructor() {
    super('Sampling was cancelled.');
    this.name = 'SamplingCancelled';
  }
}
