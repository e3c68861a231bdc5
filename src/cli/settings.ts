/** Run settings from command-line flags, shared by `facet enhance`, `facet run`: one parser, one set of messages. */
import type { Point } from '../core/image/types';
import { seedFromText } from '../core/sampling/noise';
import { RunSettingsSchema, type RunSettings } from '../shared/contract/run-params';
import { ExaminerName } from '../shared/contract/settings';
import { FacetError } from '../shared/errors';

/** The flags that make up run settings, as parseArgs returns them. */
export interface SettingsFlags {
  readonly model?: string;
  readonly preset?: string;
  readonly steps?: string;
  readonly snr?: string;
  readonly candidates?: string;
  readonly seed?: string;
  readonly provider?: string;
  readonly threads?: string;
  readonly 'data-consistency'?: boolean;
}

/** parseArgs option specs of the settings flags. */
export const SETTINGS_OPTIONS = {
  model: { type: 'string' },
  preset: { type: 'string' },
  steps: { type: 'string' },
  snr: { type: 'string' },
  candidates: { type: 'string' },
  seed: { type: 'string' },
  provider: { type: 'string' },
  threads: { type: 'string' },
  'data-consistency': { type: 'boolean' },
} as const;

/** A number flag, or a one-line error naming it. */
export function numberFlag(name: string, s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (s.trim() === '' || !Number.isFinite(n))
    throw new FacetError('invalid-input', `--${name} must be a number, not "${s}".`);
  return n;
}

/** A seed in decimal or hex as the decimal string runs record, or a one-line error saying what is accepted. */
export function seedFlag(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  try {
    return seedFromText(s).toString();
  } catch (err) {
    throw new FacetError('invalid-input', `--seed: ${(err as Error).message}`);
  }
}

/** Validated run settings; every problem is a FacetError naming the flag. */
export function runSettingsFromFlags(v: SettingsFlags): RunSettings {
  const settings = RunSettingsSchema.safeParse({
    modelId: v.model ?? 'best',
    preset: v.preset ?? 'fast',
    steps: numberFlag('steps', v.steps),
    snr: numberFlag('snr', v.snr),
    candidates: numberFlag('candidates', v.candidates),
    seed: seedFlag(v.seed),
    provider: v.provider,
    threads: numberFlag('threads', v.threads),
    dataConsistency: v['data-consistency'] ?? false,
  });
  if (!settings.success) {
    const i = settings.error.issues[0]!;
    const flag = i.path[0] === 'modelId' ? 'model' : String(i.path[0] ?? '');
    throw new FacetError('invalid-input', `--${flag}: ${i.message}`);
  }
  // Unset optional fields are left out, so the stored settings and their audit payload stay canonical JSON.
  return Object.fromEntries(Object.entries(settings.data).filter(([, x]) => x !== undefined)) as RunSettings;
}

/**
 * `--face N`, `--points x,y,...`, `--aligned` and `--lr16`: which face of a still to enhance (none: the largest
 * detected); at most one of them.
 */
export function faceChoiceFlags(v: {
  readonly face?: string;
  readonly points?: string;
  readonly aligned?: boolean;
  readonly lr16?: boolean;
}): {
  face?: number;
  points?: Point[];
  aligned: boolean;
  lr16: boolean;
} {
  const given = [
    v.lr16 && '--lr16',
    v.aligned && '--aligned',
    v.face !== undefined && '--face',
    v.points !== undefined && '--points',
  ].filter(Boolean);
  if (given.length > 1)
    throw new FacetError('invalid-input', `${given.join(' and ')} cannot be used together.`);
  let face: number | undefined;
  if (v.face !== undefined) {
    // Faces are numbered from 1, as the app numbers them; `face` is the detection's 0-based index.
    if (!/^[0-9]{1,4}$/.test(v.face) || Number(v.face) < 1) {
      throw new FacetError('invalid-input', `--face must be a face number (1, 2, ...), not "${v.face}".`);
    }
    face = Number(v.face) - 1;
  }
  return {
    face,
    points: v.points === undefined ? undefined : parsePoints(v.points),
    aligned: v.aligned === true,
    lr16: v.lr16 === true,
  };
}

/** `x1,y1,x2,y2[,...]` -> 2 or 5 points; one-line error otherwise. */
export function parsePoints(text: string): Point[] {
  const parts = text.split(',').map((p) => p.trim());
  const nums = parts.map(Number);
  if (parts.some((p) => p === '') || nums.some((n) => !Number.isFinite(n))) {
    throw new FacetError(
      'invalid-input',
      `--points must be numbers separated by commas (x1,y1,x2,y2,...), not "${text}".`,
    );
  }
  if (nums.length !== 4 && nums.length !== 10) {
    throw new FacetError(
      'invalid-input',
      `--points takes 2 points (the eye centres) or 5 (eyes, nose tip, mouth corners) as x,y pairs; got ${nums.length} numbers.`,
    );
  }
  const points: Point[] = [];
  for (let i = 0; i < nums.length; i += 2) points.push({ x: nums[i]!, y: nums[i + 1]! });
  return points;
}

/**
 * The examiner of this process: `--examiner NAME`, else FACET_EXAMINER, else undefined (the app's settings); a
 * FacetError naming the source when the name is not one.
 */
export function examinerFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const [source, value] = flag !== undefined ? ['--examiner', flag] : ['FACET_EXAMINER', env.FACET_EXAMINER];
  if (value === undefined || (flag === undefined && value.trim() === '')) return undefined;
  const name = ExaminerName.safeParse(value);
  if (!name.success) throw new FacetError('invalid-input', `${source}: ${name.error.issues[0]!.message}`);
  return name.data;
}
