/**
 * The streak check (issue 27). UTKFace faces mapped into C1 carry about 27 top rows of edge-replicated padding, which
 * a model trained on them can learn to paint as vertical streaks. Streaks have strong horizontal differences (across
 * columns) and weak vertical ones, so the ratio of horizontal to vertical gradient energy in the top rows, divided by
 * the same ratio of the real faces, is about 1 for a faithful image and well above 1 for streaks. Same definition as
 * `training/streaks.py` (the trainer's validation).
 */
import type { RgbImage } from '../image/types';

/** Top rows of C1 that are padding in UTKFace faces (27.5 measured on 1,000 training faces). */
export const STREAK_ROWS = 27;

/**
 * sum of squared horizontal differences / sum of squared vertical differences of the grey image (channel mean of
 * the [0,1] values) over its top `rows` rows (vertical differences between rows 0..rows-1 only). The denominator
 * is clamped at 1e-12, as in `training/streaks.py`.
 */
export function gradientRatio(img: RgbImage, rows: number = STREAK_ROWS): number {
  const { width: w, height: h, data } = img;
  if (data.length !== w * h * 3) throw new Error(`gradientRatio: ${w}x${h} image has ${data.length} values.`);
  if (!Number.isInteger(rows) || rows < 2 || rows > h)
    throw new Error(`gradientRatio: rows must be an integer in [2, ${h}], not ${rows}.`);
  const grey = new Float64Array(rows * w);
  for (let i = 0; i < rows * w; i++) grey[i] = (data[3 * i]! + data[3 * i + 1]! + data[3 * i + 2]!) / 3;
  let gx = 0;
  let gy = 0;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < w; x++) {
      const v = grey[y * w + x]!;
      if (x + 1 < w) {
        const d = grey[y * w + x + 1]! - v;
        gx += d * d;
      }
      if (y + 1 < rows) {
        const d = grey[(y + 1) * w + x]! - v;
        gy += d * d;
      }
    }
  }
  return gx / Math.max(gy, 1e-12);
}

/** Mean gradient ratio of `images` over the mean gradient ratio of the real faces `hr` (1: as real faces). */
export function streakRatio(
  images: readonly RgbImage[],
  hr: readonly RgbImage[],
  rows = STREAK_ROWS,
): number {
  if (images.length === 0 || hr.length === 0) throw new Error('streakRatio: no images.');
  const mean = (xs: readonly RgbImage[]): number =>
    xs.reduce((s, x) => s + gradientRatio(x, rows), 0) / xs.length;
  return mean(images) / mean(hr);
}
