/** Plain-words labels for runs: status, preset, metric names. */
import type { Run, RunStatus } from '../../../../shared/contract';
import { PRESETS } from './presets';
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
  return PRESETS[p].label;
}

const METRICS: Readonly<Record<string, { label: string; hint: string; digits: number }>> = {
  consistency: {
    label: 'Consistency',
    hint: 'How far the image, shrunk back to 16×16, is from the input (mean squared error, 0-255 scale). Lower = more faithful to the input.',
    digits: 2,
  },
  psnr: {
    label: 'PSNR',
    hint: 'Peak signal-to-noise ratio in dB against the reference (higher = closer).',
    digits: 2,
  },
  ssim: { label: 'SSIM', hint: 'Structural similarity against the reference (1 = identical).', digits: 3 },
  meanStd: {
    label: 'Mean spread',
    hint: 'Average per-pixel disagreement between candidates. Bright areas in the map: the model invented that detail.',
    digits: 4,
  },
};

/** A stored metric as the viewer shows it. */
export function metricLabel(key: string, value: number): { label: string; value: string; hint?: string } {
  const m = METRICS[key];
  return m
    ? { label: m.label, value: value.toFixed(m.digits), hint: m.hint }
    : { label: key, value: value.toFixed(3) };
}

/** Runs oldest first, so "Run 1" is the first run of the case everywhere it is named. */
export function byQueueOrder(runs: readonly Run[]): readonly Run[] {
  return [...runs].sort((a, b) => a.queuedAt.localeCompare(b.queuedAt) || a.id.localeCompare(b.id));
}
