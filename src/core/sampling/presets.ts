/** The named sampler presets: the paper's four PC variants and a fast deterministic ODE sampler (DPM-Solver++). */
import { createSde, dataRange, defaultEps } from '../sde';
import type { SamplerConfig, SdeConfig } from './api';

/** The named presets, in the order the app offers them. */
export const PRESET_NAMES = ['fast', 'sde-ve', 'sde-vecs', 'sde-vp', 'sde-subvp'] as const;
/** A preset's name. */
export type PresetName = (typeof PRESET_NAMES)[number];

/** Numbers a user may override on a preset (RunSettings). */
export interface PresetOverrides {
  readonly steps?: number;
  readonly correctorSteps?: number;
  readonly snr?: number;
}

/** The paper's N (DESIGN.md section 1). */
export const PAPER_STEPS = 2000;
/** The paper's Langevin signal-to-noise ratio for SDE-VEcs (CS peaks near r = 0.16). */
export const PAPER_SNR = 0.16;
/**
 * The 'fast' preset: DPM-Solver++ 3M with 25 network evaluations. Chosen by test/core/sampling/mixture.test.ts:
 * on a two-component mixture it passes a Kolmogorov-Smirnov test on 4096 values (D ~ 0.01 for all three SDEs),
 * where Heun on the EDM schedule (rho 7) still fails at 35-39 NFE (D 0.03-0.06).
 */
export const FAST_STEPS = 25;
/** DPM-Solver order of the 'fast' preset. */
export const FAST_ORDER = 3;
/**
 * Noise level (on images in [0,1]) at which the 'fast' preset stops and returns the network's clean estimate.
 * Integrating the flow further down, the trained model adds grain that real faces lack and the LR does not
 * support: on held-out UTKFace (the training domain) candidates ending at sigma 0.01 carry 1.8x the faces'
 * fine-detail energy (mean |Laplacian|) and 2.8x the consistency error of those ending at 0.2, where that energy
 * matches the faces' (docs/results/README.md, "Where the fast preset stops").
 */
export const FAST_SIGMA_END = 0.2;

/** The end time of the 'fast' preset for an SDE: where its noise level, in [0,1] image units, is FAST_SIGMA_END. */
export function fastEndTime(sde: SdeConfig): number {
  const [lo, hi] = dataRange(sde.kind);
  return createSde(sde).sigmaInv(FAST_SIGMA_END * (hi - lo));
}

const PC_PRESETS: Record<Exclude<PresetName, 'fast'>, { sde: SdeConfig['kind']; pc: PcParts }> = {
  'sde-ve': { sde: 've', pc: { predictor: 'reverse-diffusion', corrector: 'none', correctorSteps: 0 } },
  'sde-vecs': { sde: 've', pc: { predictor: 'reverse-diffusion', corrector: 'langevin', correctorSteps: 1 } },
  'sde-vp': { sde: 'vp', pc: { predictor: 'euler-maruyama', corrector: 'none', correctorSteps: 0 } },
  'sde-subvp': { sde: 'subvp', pc: { predictor: 'euler-maruyama', corrector: 'none', correctorSteps: 0 } },
};

interface PcParts {
  readonly predictor: 'reverse-diffusion' | 'euler-maruyama';
  readonly corrector: 'langevin' | 'none';
  readonly correctorSteps: number;
}

/**
 * The sampler of a preset for an SDE, with the user's overrides. Paper presets need their own SDE kind; the
 * corrector kind is the preset's (overriding M changes only the count). `modelEps` is the model's own end time: the
 * paper presets end there, the fast preset at FAST_SIGMA_END but never below it.
 */
export function resolvePreset(
  name: PresetName,
  sde: SdeConfig,
  overrides: PresetOverrides = {},
  modelEps: number = defaultEps(sde.kind),
): SamplerConfig {
  if (overrides.steps !== undefined && !(Number.isInteger(overrides.steps) && overrides.steps >= 1)) {
    throw new Error(`Preset ${name}: steps must be a positive integer, got ${overrides.steps}.`);
  }
  if (name === 'fast') {
    return {
      kind: 'dpm-solver',
      steps: overrides.steps ?? FAST_STEPS,
      order: FAST_ORDER,
      eps: Math.max(fastEndTime(sde), modelEps),
    };
  }
  const preset = PC_PRESETS[name];
  if (!preset) throw new Error(`Unknown sampler preset "${String(name)}".`);
  if (preset.sde !== sde.kind) {
    throw new Error(
      `Preset ${name} is for the ${preset.sde.toUpperCase()} SDE, but the model is ${sde.kind}.`,
    );
  }
  const correctorSteps = overrides.correctorSteps ?? preset.pc.correctorSteps;
  if (!(Number.isInteger(correctorSteps) && correctorSteps >= 0)) {
    throw new Error(`Preset ${name}: corrector steps must be a whole number, got ${correctorSteps}.`);
  }
  const snr = overrides.snr ?? PAPER_SNR;
  if (!(snr > 0)) throw new Error(`Preset ${name}: snr must be positive, got ${snr}.`);
  return {
    kind: 'pc',
    predictor: preset.pc.predictor,
    corrector: preset.pc.corrector,
    steps: overrides.steps ?? PAPER_STEPS,
    correctorSteps: preset.pc.corrector === 'none' ? 0 : correctorSteps,
    snr,
    eps: modelEps,
  };
}

/**
 * The model a preset runs on when the user picks none, as a model reference the registry resolves: the paper's
 * presets need their own SDE (the best installed model of that kind); 'fast' runs on the best model of any kind.
 */
export function presetModelRef(name: PresetName): 've' | 'vp' | 'subvp' | 'best' {
  return name === 'fast' ? 'best' : PC_PRESETS[name].sde;
}
