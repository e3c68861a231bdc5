/**
 * The words the app and the reports use for what an image is and where it came from, in one place so a screen and
 * a report page never label the same image differently. Captions sit under the image, never over its pixels.
 */
import { UNCERTAINTY_SCALE_TEXT } from './uncertainty';
import type { PresetName } from '../core/sampling/presets';

/** What kind of image a caption is for: the run's outputs, the input and a reference photo. */
export type ImageKind = 'lr' | 'bicubic' | 'candidate' | 'mean' | 'uncertainty' | 'reference' | 'still';

/** The preset names as people read them. */
export const PRESET_LABELS: Readonly<Record<PresetName, string>> = {
  fast: 'Fast',
  'sde-ve': 'SDE-VE',
  'sde-vecs': 'SDE-VEcs',
  'sde-vp': 'SDE-VP',
  'sde-subvp': 'SDE-subVP',
};

/** "Run 3 · SDE-VE · 4 candidates · seed 7": how a run is named on every screen and report page. */
export function runTitle(n: number, preset: PresetName, candidates: number, seed: string): string {
  const k = `${candidates} candidate${candidates === 1 ? '' : 's'}`;
  return `Run ${n} · ${PRESET_LABELS[preset]} · ${k} · seed ${seed}`;
}

/** True for images made by (or averaged from) the generative model: they carry "not evidence of identity". */
export function isAiGenerated(kind: ImageKind): boolean {
  return kind === 'candidate' || kind === 'mean';
}

/**
 * The provenance caption under an image. `index` counts candidates from 1; `of` is the run's candidate count.
 * The uncertainty map is derived from the candidates but is not a face: it says what it measures instead.
 */
export function provenanceCaption(kind: ImageKind, index = 1, of = 1): string {
  switch (kind) {
    case 'lr':
      // Resampled, not the still's pixels: C2 shrinks the aligned crop x8 (an lr16 still is its own 16x16).
      return '16×16, resampled from the still by C2: what the model sees — no AI';
    case 'still':
      return 'The still’s own face, aligned 128×128 (resampled by the alignment) — no AI';
    case 'bicubic':
      return 'Bicubic interpolation — no AI';
    case 'candidate':
      return `AI-generated candidate ${index} of ${of} — not evidence of identity`;
    case 'mean':
      return `Mean of the ${of} AI-generated candidates — not evidence of identity`;
    case 'uncertainty':
      return `Uncertainty: per-pixel spread of the candidates (${UNCERTAINTY_SCALE_TEXT})`;
    case 'reference':
      return 'Reference photo, aligned crop — no AI';
  }
}

/** The caption of a face's 16x16 model input: resampled from the still, or the still itself (method 'lr16'). */
export function inputLrCaption(method: string): string {
  return method === 'lr16'
    ? '16×16: the still itself, as the model sees it — no AI'
    : provenanceCaption('lr');
}

/** The consistency metric with its unit and direction, and the bicubic baseline's value to compare with. */
export function consistencyText(value: number, bicubic?: number): string {
  const base = bicubic === undefined ? '' : `; bicubic ${bicubic.toFixed(1)}`;
  return `consistency ${value.toFixed(1)} (MSE, 0–255 levels) — lower is closer to the input${base}`;
}

/** The flag a test model (or one never trained on faces) carries on every screen and report page that shows it. */
export const TEST_MODEL_FLAG = 'TEST MODEL — not trained on faces: its outputs show nothing about the person';

/** A short form of the test-model flag, for a caption line or a badge beside an image or a run's name. */
export const TEST_MODEL_SHORT = 'TEST MODEL — not a face reconstruction';

/** What `faceNumbers` needs of a face: which file it was aligned from and when. */
export interface NumberedFace {
  readonly id: string;
  readonly evidenceId: string;
  readonly createdAt: string;
}

/**
 * The one numbering of faces, on every screen and report page: a face is numbered within the evidence file it was
 * aligned from, from 1, in the order that file's faces were aligned ("Face 2 of still.jpg" is the second face
 * aligned from still.jpg). A number never changes once given (faces are never deleted), whichever way the face
 * was found (detected, placed by hand, or the file itself is an aligned crop). The detection boxes on the Faces tab
 * carry the same number once aligned; a box not aligned yet has no face number. Pass all of a case's faces (a
 * subset would renumber). The CLI's `--face` is 0-based by design and is not this number.
 */
export function faceNumbers(faces: readonly NumberedFace[]): ReadonlyMap<string, number> {
  const ordered = faces
    .map((f, i) => ({ f, i }))
    .sort((a, b) => a.f.createdAt.localeCompare(b.f.createdAt) || a.i - b.i);
  const perFile = new Map<string, number>();
  const out = new Map<string, number>();
  for (const { f } of ordered) {
    const n = (perFile.get(f.evidenceId) ?? 0) + 1;
    perFile.set(f.evidenceId, n);
    out.set(f.id, n);
  }
  return out;
}

/** "Face 2 of still.jpg": how a face is named on every screen and report page (its number from `faceNumbers`). */
export function faceTitle(n: number, fileName: string): string {
  return `Face ${n} of ${fileName}`;
}
