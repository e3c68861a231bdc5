/** The presets' rules as the contract states them (models.list), from the one definition in core. */
import {
  FAST_SIGMA_END,
  FAST_STEPS,
  PAPER_STEPS,
  PRESET_NAMES,
  presetModelRef,
} from '../../core/sampling/presets';
import type { PresetRule } from '../../shared/contract';

/** Every preset, in the order the app offers them. */
export function presetRules(): PresetRule[] {
  return PRESET_NAMES.map((name) => ({
    name,
    modelRef: presetModelRef(name),
    steps: name === 'fast' ? FAST_STEPS : PAPER_STEPS,
    sigmaEnd: name === 'fast' ? FAST_SIGMA_END : null,
  }));
}
