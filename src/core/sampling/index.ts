/** The sampling core: one entry point over the PC, Heun and DPM-Solver samplers, presets and seeded noise. */
import type { SampleRequest, Tensor } from './api';
import { sampleDpmSolver } from './dpm-solver';
import { sampleHeun } from './heun';
import { samplePc } from './pc';

export * from './api';
export { createNoiseStream, parseSeed, philox4x32, seedFromBytes } from './noise';
export type { PhiloxNoiseStream } from './noise';
export { FAST_ORDER, FAST_STEPS, PAPER_SNR, PAPER_STEPS, resolvePreset } from './presets';
export type { PresetName, PresetOverrides } from './presets';

/**
 * Sample B candidates (one per noise stream) with the request's SDE and sampler. Returns the final x in the SDE's
 * data range ([0,1] VE, [-1,1] VP/subVP). Throws `SamplingCancelled` when `req.signal` is aborted between steps.
 */
export async function sample(req: SampleRequest): Promise<Tensor> {
  const sampler = req.sampler;
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
