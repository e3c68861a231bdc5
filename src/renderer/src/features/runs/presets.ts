/**
 * The sampling presets as the user sees them (names and plain words), and the run-time estimate. What a preset
 * resolves to (model, N, M, r, NFE) is main's: the run dialog asks for it with runs.plan.
 */
import type { NfeCost, PresetName, ProviderName } from '../../../../shared/contract';
import { FAST_SIGMA_END, FAST_STEPS } from '../../../../core/sampling/presets';

/** What a preset means in plain words. */
export interface PresetInfo {
  readonly label: string;
  readonly description: string;
}

/** The presets of src/core/sampling/presets.ts, in the order the app offers them. */
export const PRESETS: Readonly<Record<PresetName, PresetInfo>> = {
  fast: {
    label: 'Fast',
    description: `Deterministic fast sampler (DPM-Solver++, ${FAST_STEPS} network evaluations), stopping at noise level ${FAST_SIGMA_END} to leave out grain finer than that. For a first look.`,
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

/** Estimated run time in ms: the plan's network evaluations of the batch x the measured ms per evaluation. */
export function estimateMs(nfe: number | null, msPerNfe: number | null): number | null {
  if (nfe === null || msPerNfe === null) return null;
  return nfe * msPerNfe;
}

/** The measured cost for exactly this model, provider and batch; past runs before a benchmark. Null if none. */
export function costFor(
  costs: readonly NfeCost[],
  modelId: string,
  provider: ProviderName,
  batch: number,
): NfeCost | null {
  const hits = costs.filter((c) => c.modelId === modelId && c.provider === provider && c.batch === batch);
  return hits.find((c) => c.source === 'runs') ?? hits[0] ?? null;
}
