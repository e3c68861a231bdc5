/** The evaluator's science from `src/core`: C2 LR operator, metrics, presets, samplers and C5 noise. */
import { conditioning, consistency, formLr } from '../../core/image/lr';
import { psnr, ssim } from '../../core/metrics';
import { createNoiseStream, parseSeed, resolvePreset, sample } from '../../core/sampling';
import type { EvalToolkit } from './evaluator';

/** The toolkit both `facet eval` and the tests use. */
export const coreToolkit: EvalToolkit = {
  formLr,
  conditioning,
  psnr,
  ssim,
  consistency,
  resolveSampler: (preset, overrides, model) => resolvePreset(preset, model.sde, overrides),
  sample,
  noise: (seed, candidate) => createNoiseStream(parseSeed(seed), candidate),
};
