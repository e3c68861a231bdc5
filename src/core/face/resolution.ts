/**
 * How large a face was in its still, and whether the 16x16 model input throws most of it away (issue 28).
 *
 * A face's size is its inter-ocular distance (eye centre to eye centre) in source pixels. The alignment transform
 * maps the still onto C1, whose eyes are ~40.3 px apart at 128x128; the model sees C1 at 16x16 (C2, x8 down), where
 * the eyes are ~5 px apart. A face with many more source pixels than that is shrunk before the model sees it: the
 * run then invents detail the still actually shows, and the still's own aligned crop is the better view.
 */
import { CANONICAL_SIZE, C1_TEMPLATE } from './template';

/** The model's input side (C2): 16x16. */
export const MODEL_INPUT_SIZE = 16;

/** Inter-ocular distance of C1 at 128x128 (~40.27 px). */
export const C1_INTER_OCULAR_PX = Math.hypot(
  C1_TEMPLATE[1]!.x - C1_TEMPLATE[0]!.x,
  C1_TEMPLATE[1]!.y - C1_TEMPLATE[0]!.y,
);

/** Inter-ocular distance of the 16x16 model input (~5.03 px). */
export const MODEL_INTER_OCULAR_PX = (C1_INTER_OCULAR_PX * MODEL_INPUT_SIZE) / CANONICAL_SIZE;

/**
 * Warn above twice the model's inter-ocular distance (~10 px): up to 2x the downscale removes little that a
 * 16x16 face of the same person would not also lack (JPEG blur, sensor noise and detection jitter are of that
 * order); beyond it the still holds at least 4x the pixels the model sees, so the run discards real detail.
 */
export const RESOLUTION_WARN_FACTOR = 2;

/** The inter-ocular distance (source px) above which a run of the face is warned about (~10.1 px). */
export const RESOLUTION_WARN_PX = RESOLUTION_WARN_FACTOR * MODEL_INTER_OCULAR_PX;

/**
 * A face's inter-ocular distance in its still's pixels, from its similarity transform still -> C1
 * ([a, b, tx, c, d, ty], x' = a x + b y + tx, y' = c x + d y + ty): C1's eye distance divided by the scale.
 * For a least-squares fit on five landmarks this is the face's size expressed as an eye distance.
 */
export function interOcularPx(transform: readonly number[]): number {
  const [a, , , c] = transform;
  const scale = Math.hypot(a ?? NaN, c ?? NaN);
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error('a face transform needs a positive scale');
  return C1_INTER_OCULAR_PX / scale;
}

/** The resolution check of a face: its size in the still and, when the model input discards detail, why. */
export interface ResolutionCheck {
  readonly interOcularPx: number;
  /** null when the face is no larger than the threshold. */
  readonly warning: string | null;
}

/** Checks a face's transform against the threshold; the warning names both sizes. */
export function resolutionCheck(transform: readonly number[]): ResolutionCheck {
  const iod = interOcularPx(transform);
  if (iod <= RESOLUTION_WARN_PX) return { interOcularPx: iod, warning: null };
  const factor = iod / MODEL_INTER_OCULAR_PX;
  return {
    interOcularPx: iod,
    warning:
      `This face is ${iod.toFixed(0)} px between the eyes in the still; the model sees it at 16x16 ` +
      `(${MODEL_INTER_OCULAR_PX.toFixed(1)} px between the eyes), ${factor.toFixed(1)}x smaller. The run discards ` +
      'detail the still has and the candidates invent it again: look at the still’s own aligned crop.',
  };
}
