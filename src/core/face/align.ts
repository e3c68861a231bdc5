import { formLr, quantise8 } from '../image/lr';
import type { Point, RgbImage } from '../image/types';
import { estimateSimilarity, rmsResidual, type Affine } from './affine';
import { C1_TEMPLATE, CANONICAL_SIZE } from './template';
import { warpAffine } from './warp';

/** A face brought into the canonical frame C1. */
export interface AlignedFace {
  /** 128x128 RGB crop in C1. */
  readonly crop: RgbImage;
  /** Image px -> crop px similarity transform [a, b, c, d, e, f]. */
  readonly transform: Affine;
  /** RMS distance (crop px) between the mapped points and their C1 template positions. */
  readonly residualPx: number;
}

/**
 * The similarity transform image -> C1 from landmarks: five points (eye centres, nose tip, mouth corners, in
 * template order) give the least-squares fit; two points (the eye centres, image-left first) the exact map of
 * the eyes onto the template's eyes. This is what manual alignment uses for user-placed points.
 */
export function canonicalTransform(points: readonly Point[]): Affine {
  for (const p of points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y))
      throw new Error('landmark coordinates must be finite');
  }
  if (points.length === 5) return estimateSimilarity(points, C1_TEMPLATE);
  if (points.length === 2) return estimateSimilarity(points, C1_TEMPLATE.slice(0, 2));
  throw new Error(`alignment needs 2 (eye centres) or 5 landmarks, got ${points.length}`);
}

/** Aligns a face to C1 from 2 or 5 landmarks (image px) and resamples the 128x128 crop. */
export function alignFace(image: RgbImage, points: readonly Point[]): AlignedFace {
  const transform = canonicalTransform(points);
  const template = points.length === 5 ? C1_TEMPLATE : C1_TEMPLATE.slice(0, 2);
  return {
    crop: warpAffine(image, transform, CANONICAL_SIZE, CANONICAL_SIZE),
    transform,
    residualPx: rmsResidual(transform, points, template),
  };
}

/** A face made ready for enhancement: the C1 crop as stored (8 bit) and the C2 LR formed from that crop. */
export interface EnhancementInput extends AlignedFace {
  /** The 16x16 LR (C2) of the 8-bit crop, so it can be re-derived from the stored crop file. */
  readonly lr: RgbImage;
}

/**
 * Aligns a face to C1, quantises the crop to 8 bit and forms its LR (C2). The app's alignment and `facet enhance`
 * both call this, so the same still and points give the same crop and LR hashes on every path.
 */
export function alignForEnhancement(image: RgbImage, points: readonly Point[]): EnhancementInput {
  const aligned = alignFace(image, points);
  const crop = quantise8(aligned.crop);
  return { ...aligned, crop, lr: formLr(crop) };
}
