/** The LR path for a real input: an aligned face crop -> LR by C2, or a 16x16 image taken as the LR itself. */
import { formLr, quantise8 } from '../../core/image/lr';
import { resize } from '../../core/image/resample';
import type { RgbImage } from '../../core/image/types';
import { FacetError } from '../../shared/errors';

/** The LR face, the crop it came from (null for a 16x16 input) and what was done to get there. */
export interface LrInput {
  readonly lr: RgbImage;
  readonly crop: RgbImage | null;
  readonly notes: readonly string[];
}

/** Largest relative difference of width and height still treated as a square crop. */
const SQUARE_TOLERANCE = 0.02;

/**
 * With `lr16`, the image must be 16x16 and is the LR (quantised to 8 bit, C2). Otherwise it is an aligned square
 * face crop: 128x128 as is, other square sizes resized to 128x128 (C2 antialiased bicubic), quantised to 8 bit (as
 * stored), then LR = formLr(crop).
 */
export function lrFromImage(image: RgbImage, lr16: boolean): LrInput {
  const { width: w, height: h } = image;
  if (lr16) {
    if (w !== 16 || h !== 16) {
      throw new FacetError('invalid-input', `--lr16 expects a 16x16 image; this one is ${w}x${h}.`);
    }
    return { lr: quantise8(image), crop: null, notes: ['input taken as the 16x16 LR face'] };
  }
  return alignedCropInput(image);
}

/** An aligned square face crop: resized to 128x128 when needed, on the 8-bit grid, and its LR by C2. */
export function alignedCropInput(image: RgbImage): LrInput & { readonly crop: RgbImage } {
  const { width: w, height: h } = image;
  if (Math.abs(w - h) / Math.max(w, h) > SQUARE_TOLERANCE) {
    throw new FacetError(
      'invalid-input',
      `Expected an aligned square face crop (128x128); this image is ${w}x${h}. Crop the face first (facet ` +
        `enhance also takes a 16x16 LR face with --lr16).`,
    );
  }
  if (w < 16 || h < 16) {
    throw new FacetError('invalid-input', `The face crop is ${w}x${h}; it must be at least 16x16.`);
  }
  const notes: string[] = [];
  let crop = image;
  if (w !== 128 || h !== 128) {
    crop = resize(image, 128, 128);
    notes.push(`crop resized from ${w}x${h} to 128x128 (C2 bicubic)`);
  }
  // On the 8-bit grid, as the case stores a crop: the LR is C2 of the stored crop (a no-op for 8-bit 128x128 input).
  crop = quantise8(crop);
  return { lr: formLr(crop), crop, notes };
}
