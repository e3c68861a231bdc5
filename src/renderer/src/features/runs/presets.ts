/** The sampling presets as the user sees them, and the run-time estimate. */
import type { ModelInfo, NfeCost, PresetName, ProviderName } from '../../../../shared/contract';
import { FAST_STEPS, PAPER_SNR, PAPER_STEPS } from '../../../../core/sampling/presets';

/** What a preset means in plain words, and its default step counts when the app knows them. */
export interface PresetInfo {
  readonly label: string;
  readonly description: string;
  /** Default N; null when the engine picks it (then no estimate is shown until the user sets N). */
  readonly steps: number | null;
  /** Default M (corrector steps per predictor step). */
  readonly correctorSteps: number;
  /** Default r, used only with a corrector. */
  readonly snr: number | null;
  /** Network evaluations per predictor step (1 for PC predictors, 2 for Heun). */
  readonly evalsPerStep: number;
}

/**
 * The presets as the core defines them (src/core/sampling/presets.ts): the paper's variants with N = 2000 predictor
 * steps, SDE-VEcs with one Langevin corrector step at r = 0.16 (where identity similarity peaks), and 'fast'.
 */
export const PRESETS: Readonly<Record<PresetName, PresetInfo>> = {
  fast: {
    label: 'Fast',
    description: `Deterministic fast sampler (DPM-Solver++, ${FAST_STEPS} network evaluations). For a first look.`,
    steps: FAST_STEPS,
    correctorSteps: 0,
    snr: null,
    evalsPerStep: 1,
  },
  'sde-ve': {
    label: 'SDE-VE',
    description: 'Paper method, variance exploding, reverse diffusion. Slow, best measured quality.',
    steps: PAPER_STEPS,
    correctorSteps: 0,
    snr: null,
    evalsPerStep: 1,
  },
  'sde-vecs': {
    label: 'SDE-VEcs',
    description: 'SDE-VE plus a Langevin corrector: r trades detail for smoothness.',
    steps: PAPER_STEPS,
    correctorSteps: 1,
    snr: PAPER_SNR,
    evalsPerStep: 1,
  },
  'sde-vp': {
    label: 'SDE-VP',
    description: 'Paper method, variance preserving, Euler–Maruyama.',
    steps: PAPER_STEPS,
    correctorSteps: 0,
    snr: null,
    evalsPerStep: 1,
  },
  'sde-subvp': {
    label: 'SDE-subVP',
    description: 'Paper method, sub-variance preserving, Euler–Maruyama.',
    steps: PAPER_STEPS,
    correctorSteps: 0,
    snr: null,
    evalsPerStep: 1,
  },
};

/** Network evaluations for one candidate: N × (evaluations per step + M). */
export function nfePerCandidate(info: PresetInfo, steps: number, correctorSteps: number): number {
  return steps * (info.evalsPerStep + correctorSteps);
}

/** Estimated run time in ms, or null when N or the per-NFE cost is unknown. */
export function estimateMs(
  info: PresetInfo,
  steps: number | null,
  correctorSteps: number,
  candidates: number,
  msPerNfePerImage: number | null,
): number | null {
  if (steps === null || msPerNfePerImage === null) return null;
  return nfePerCandidate(info, steps, correctorSteps) * candidates * msPerNfePerImage;
}

/** A fresh uniformly random 64-bit seed as a decimal string (docs/specs/c5-noise.md). */
export function randomSeed(): string {
  const words = crypto.getRandomValues(new Uint32Array(2));
  return ((BigInt(words[0] ?? 0) << 32n) | BigInt(words[1] ?? 0)).toString();
}

/**
 * The model a preset needs, as the inference engine resolves it: the paper's presets need their own SDE (the best
 * installed model of that kind); 'fast' runs on the best installed model of any kind.
 */
export function modelRefFor(preset: PresetName): string {
  switch (preset) {
    case 'sde-ve':
    case 'sde-vecs':
      return 've';
    case 'sde-vp':
      return 'vp';
    case 'sde-subvp':
      return 'subvp';
    case 'fast':
      return 'best';
  }
}

/** Ties go to the paper's best SDE first (as the engine's registry orders them). */
const SDE_ORDER = ['ve', 'vp', 'subvp'] as const;

/**
 * The model the engine will pick for a reference (an id, 've' / 'vp' / 'subvp', or 'best'), by the registry's rule:
 * trained models first, then the larger network, then the SDE order, then the id. Null when none fits.
 */
export function resolveModelRef(ref: string, models: readonly ModelInfo[]): ModelInfo | null {
  const byId = models.find((m) => m.id === ref);
  if (byId) return byId;
  const sde = ref === 've' || ref === 'vp' || ref === 'subvp' ? ref : null;
  if (sde === null && ref !== 'best') return null;
  const pool = models.filter((m) => sde === null || m.sde === sde);
  const sorted = [...pool].sort(
    (a, b) =>
      Number(a.testOnly) - Number(b.testOnly) ||
      b.params - a.params ||
      SDE_ORDER.indexOf(a.sde) - SDE_ORDER.indexOf(b.sde) ||
      a.id.localeCompare(b.id),
  );
  return sorted[0] ?? null;
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
