/** Plain-words labels for runs: status, preset, metric names. */
import type { Run, RunStatus } from '../../../../shared/contract';
import { PRESET_LABELS } from '../../../../shared/labels';
import type { PresetName } from '../../../../shared/contract';

/** Status words and colours for badges. */
export const STATUS: Readonly<Record<RunStatus, { label: string; color: string }>> = {
  queued: { label: 'Queued', color: 'gray' },
  running: { label: 'Running', color: 'blue' },
  done: { label: 'Done', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
  cancelled: { label: 'Cancelled', color: 'orange' },
  interrupted: { label: 'Interrupted', color: 'orange' },
};

/** "SDE-VEcs" for a preset name. */
export function presetLabel(p: PresetName): string {
  return PRESET_LABELS[p];
}

const METRICS: Readonly<Record<string, { label: string; hint: string; digits: number }>> = {
  consistency: {
    label: 'Consistency',
    hint: 'How far the image, shrunk back to 16×16, is from the input: mean squared error in 8-bit levels (0–255 scale). Lower is closer to the input; the bicubic baseline is the value to beat.',
    digits: 1,
  },
  psnr: {
    label: 'PSNR',
    hint: 'Peak signal-to-noise ratio in dB against the reference (higher = closer).',
    digits: 2,
  },
  ssim: { label: 'SSIM', hint: 'Structural similarity against the reference (1 = identical).', digits: 3 },
  meanStd: {
    label: 'Mean spread',
    hint: 'Average per-pixel standard deviation between candidates, in 8-bit levels. Higher: the candidates disagree more (the model invented more detail).',
    digits: 1,
  },
};

/**
 * A stored metric as the viewer shows it, with its unit and direction ("4.8 MSE — lower is closer to the input;
 * bicubic 22.7"). Mean spread is stored on the [0,1] scale and shown in 8-bit levels.
 */
export function metricLabel(
  key: string,
  value: number,
  bicubicConsistency?: number,
): { label: string; value: string; hint?: string } {
  const m = METRICS[key];
  if (!m) return { label: key, value: value.toFixed(3) };
  if (key === 'consistency') {
    const base = bicubicConsistency === undefined ? '' : `; bicubic ${bicubicConsistency.toFixed(1)}`;
    return {
      label: m.label,
      value: `${value.toFixed(1)} MSE — lower is closer to the input${base}`,
      hint: m.hint,
    };
  }
  if (key === 'meanStd') return { label: m.label, value: `${(value * 255).toFixed(1)} levels`, hint: m.hint };
  return { label: m.label, value: value.toFixed(m.digits), hint: m.hint };
}

/** Runs oldest first, so "Run 1" is the first run of the case everywhere it is named. */
export function byQueueOrder(runs: readonly Run[]): readonly Run[] {
  return [...runs].sort((a, b) => a.queuedAt.localeCompare(b.queuedAt) || a.id.localeCompare(b.id));
}
