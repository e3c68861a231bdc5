/**
 * Identity embedders for CS (paper Eq. 13) and identification. The face pipeline's networks (faceres, mobileface)
 * are the real ones; the pixel embedder here is a transparent stand-in for tests, never a face recogniser.
 */
import { sha256Hex } from '../crypto';
import type { RgbImage } from '../../core/image/types';

/** Provenance of an embedder as the results record it. */
export interface EmbedderInfo {
  readonly id: string;
  readonly sha256: string;
  readonly faceRecognition: boolean;
  readonly note: string;
}

/** Embeds canonical 128x128 crops (C1) into vectors compared by cosine similarity. */
export interface Embedder {
  readonly info: EmbedderInfo;
  embed(crops: readonly RgbImage[]): Promise<Float32Array[]>;
}

/**
 * Grey levels averaged over 8x8 blocks (a 16x16 vector), minus their mean: cosine similarity is then the normalised
 * cross-correlation of the two thumbnails. Deterministic and identical in the Python evaluator.
 */
export function pixelEmbed(img: RgbImage): Float32Array {
  const cells = 16;
  const bw = img.width / cells;
  const bh = img.height / cells;
  if (!Number.isInteger(bw) || !Number.isInteger(bh))
    throw new Error('pixelEmbed: size must be a multiple of 16.');
  const v = new Float64Array(cells * cells);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const p = (y * img.width + x) * 3;
      const grey = (img.data[p]! + img.data[p + 1]! + img.data[p + 2]!) / 3;
      v[Math.floor(y / bh) * cells + Math.floor(x / bw)]! += grey / (bw * bh);
    }
  }
  let mean = 0;
  for (const a of v) mean += a / v.length;
  return Float32Array.from(v, (a) => a - mean);
}

/** The pixel embedder (for tests and runs without a face-recognition model). */
export const pixelEmbedder: Embedder = {
  info: {
    id: 'pixel-ncc-16',
    sha256: sha256Hex('pixel-ncc-16: mean-free 16x16 grey block means'),
    faceRecognition: false,
    note: 'mean-free 16x16 grey thumbnail (normalised cross-correlation); a test stand-in, not a face recogniser',
  },
  embed: async (crops) => crops.map(pixelEmbed),
};
