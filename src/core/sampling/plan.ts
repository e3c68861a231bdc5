/**
 * Planning a run: the one place where a run's settings and its score model become the SDE, the sampler (preset,
 * N, M, r, eps), the seed and the candidate count. Callers plan, record the plan (C7) and hand it to the worker,
 * which only executes it; nothing downstream decides any of these values again.
 */
import type { SamplerConfig, SdeConfig } from './api';
import { parseSeed } from './noise';
import { resolvePreset, type PresetName } from './presets';

/** Most candidates one run samples. */
export const MAX_CANDIDATES = 16;

/** What a run asks for: the preset and its overrides, the seed (fixed before planning) and the candidates. */
export interface RunRequest {
  readonly preset: PresetName;
  readonly steps?: number;
  readonly correctorSteps?: number;
  readonly snr?: number;
  /** The run's 64-bit seed as a decimal string (C5). */
  readonly seed: string;
  readonly candidates: number;
  readonly dataConsistency: boolean;
}

/** The score model as planning needs it (from its C3 manifest). */
export interface PlannedModel {
  readonly id: string;
  readonly sha256: string;
  readonly sde: SdeConfig;
  /** The model's own end time ε, which replaces the paper default of the SDE. */
  readonly eps: number;
}

/** A planned run: everything the worker executes and the C7 record holds about sampling. */
export interface RunPlan {
  readonly model: { readonly id: string; readonly sha256: string };
  readonly preset: PresetName;
  readonly sde: SdeConfig;
  readonly sampler: SamplerConfig;
  readonly seed: string;
  readonly candidates: number;
  readonly dataConsistency: boolean;
}

/** Resolves a run request against a model; throws an Error with a one-line message when they do not fit. */
export function planRun(req: RunRequest, model: PlannedModel): RunPlan {
  parseSeed(req.seed);
  if (!(Number.isInteger(req.candidates) && req.candidates >= 1 && req.candidates <= MAX_CANDIDATES)) {
    throw new Error(`A run samples 1 to ${MAX_CANDIDATES} candidates, not ${req.candidates}.`);
  }
  if (!(model.eps > 0 && model.eps < 1))
    throw new Error(`Model ${model.id} has an invalid eps ${model.eps}.`);
  const sampler = resolvePreset(
    req.preset,
    model.sde,
    { steps: req.steps, correctorSteps: req.correctorSteps, snr: req.snr },
    model.eps,
  );
  return {
    model: { id: model.id, sha256: model.sha256 },
    preset: req.preset,
    sde: model.sde,
    sampler,
    seed: req.seed,
    candidates: req.candidates,
    dataConsistency: req.dataConsistency,
  };
}

/**
 * Network evaluations one sampler makes for a batch (every candidate at once): PC runs M corrector evaluations and
 * one predictor evaluation at each of N steps; Heun 2N - 1 (the last step is Euler); DPM-Solver N.
 */
export function nfePerBatch(sampler: SamplerConfig): number {
  switch (sampler.kind) {
    case 'pc': {
      const m = sampler.corrector === 'none' ? 0 : sampler.correctorSteps;
      return sampler.steps * (m + (sampler.predictor === 'none' ? 0 : 1));
    }
    case 'heun':
      return 2 * sampler.steps - 1;
    case 'dpm-solver':
      return sampler.steps;
  }
}
