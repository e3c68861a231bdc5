/**
 * The sampling presets as the user sees them (names and plain words), and the run-time estimate. What a preset
 * resolves to (model, N, M, r, NFE) is main's: the run dialog asks for it with runs.plan.
 */
import type { PresetName, PresetRule } from '../../../../shared/contract';

/** What a preset means in plain words; the numbers in it are main's (models.list presets). */
export interface PresetInfo {
  readonly label: string;
  readonly description: string | ((rule: PresetRule | null) => string);
}

/** The presets main offers (models.list), in that order, with their names in words. */
export const PRESETS: Readonly<Record<PresetName, PresetInfo>> = {
  fast: {
    label: 'Fast',
    description: (r) =>
      `Deterministic fast sampler (DPM-Solver++${r ? `, ${r.steps} network evaluations` : ''}), stopping at ` +
      `${r?.sigmaEnd != null ? `noise level ${r.sigmaEnd}` : 'a moderate noise level'} to leave out grain finer ` +
      'than that. For a first look.',
  },
  'sde-ve': {
    label: 'SDE-VE',
    description: 'Paper method, variance exploding, reverse diffusion. Slow, best measured quality.',
  },
  'sde-vecs': {
    label: 'SDE-VEcs',
    description: 'SDE-VE plus a Langevin corrector: r trades detail for smoothness.',
  },
  'sde-vp': {
    label: 'SDE-VP',
    description: 'Paper method, variance preserving, Euler–Maruyama.',
  },
  'sde-subvp': {
    label: 'SDE-subVP',
    description: 'Paper method, sub-variance preserving, Euler–Maruyama.',
  },
};

/** A preset's description, with main's numbers filled in once known. */
export function presetDescription(name: PresetName, rules: readonly PresetRule[] | undefined): string {
  const d = PRESETS[name].description;
  return typeof d === 'string' ? d : d(rules?.find((r) => r.name === name) ?? null);
}

// One estimate for the app and the CLI (src/shared/estimate.ts).
export { costFor, estimateMs } from '../../../../shared/estimate';
