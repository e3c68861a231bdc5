/** The sampling core: one entry point over the PC, Heun and DPM-Solver samplers, presets and seeded noise. */
import type { SampleRequest, SamplerConfig, Tensor } from './api';
import { sampleDpmSolver } from './dpm-solver';
import { sampleHeun } from './heun';
import { samplePc } from './pc';

export * from './api';
export {
  createNoiseStream,
  createNoiseStreams,
  parseSeed,
  philox4x32,
  SEED_FORMS,
  seedFromBytes,
  seedFromText,
} from './noise';
export type { PhiloxNoiseStream } from './noise';
export { MAX_CANDIDATES, nfePerBatch, planRun } from './plan';
export type { PlannedModel, RunPlan, RunRequest } from './plan';
export {
  FAST_ORDER,
  FAST_SIGMA_END,
  FAST_STEPS,
  fastEndTime,
  PAPER_SNR,
  PAPER_STEPS,
  presetModelRef,
  resolvePreset,
} from './presets';
export type { PresetName, PresetOverrides } from './presets';

/**
 * Sample B candidates (one per noise stream) with the request's SDE and sampler. Returns the final x in the SDE's
 * data range ([0,1] VE, [-1,1] VP/subVP). Throws `SamplingCancelled` when `req.signal` is aborted between steps.
 */
export async function sample(req: SampleRequest): Promise<Tensor> {
  const sampler = req.sampler;
  checkSampler(sampler);
  switch (sampler.kind) {
    case 'pc':
      return samplePc(req, sampler);
    case 'heun':
      return sampleHeun(req, sampler);
    case 'dpm-solver':
      return sampleDpmSolver(req, sampler);
    default: {
      const never: never = sampler;
      throw new Error(`Unknown sampler ${JSON.stringify(never)}.`);
    }
  }
}

/** Throws a clear error for sampler settings no sampler can run (a repro record or a preset gone wrong). */
export function checkSampler(c: SamplerConfig): void {
  const bad = (what: string): never => {
    throw new Error(`Sampler ${c.kind}: ${what}.`);
  };
  if (!Number.isInteger(c.steps) || c.steps < 1) bad(`steps must be a positive integer, got ${c.steps}`);
  if (!(c.eps > 0 && c.eps < 1)) bad(`eps must lie in (0, 1), got ${c.eps}`);
  if (c.kind === 'pc') {
    if (!Number.isInteger(c.correctorSteps) || c.correctorSteps < 0) {
      bad(`corrector steps must be a whole number, got ${c.correctorSteps}`);
    }
    if (c.corrector === 'langevin' && !(c.snr > 0)) bad(`the Langevin snr must be positive, got ${c.snr}`);
  } else if (c.kind === 'heun') {
    if (!(c.rho > 0)) bad(`rho must be positive, got ${c.rho}`);
    if (!(c.churn >= 0)) bad(`churn must be non-negative, got ${c.churn}`);
  } else if (c.order !== 2 && c.order !== 3) bad(`order must be 2 or 3, got ${String(c.order)}`);
}
