/** The uncertainty map: the per-pixel standard deviation across candidates, shown on a fixed scale. */
import type { RgbImage } from '../../core/image/types';

import { UNCERTAINTY_SCALE } from '../../shared/uncertainty';

/** Display scale: a std of 1/UNCERTAINTY_SCALE (on [0,1] pixel values) shows as white. Fixed, so maps compare. */
export { UNCERTAINTY_SCALE };

/** Per-pixel std across candidates (population std, per channel, then the mean over RGB), and its mean. */
export function uncertaintyMap(candidates: readonly RgbImage[]): { map: RgbImage; meanStd: number } {
  const first = candidates[0];
  if (!first) throw new Error('uncertaintyMap needs at least one candidate.');
  const { width, height } = first;
  const k = candidates.length;
  const data = new Float32Array(width * height * 3);
  let sum = 0;
  for (let p = 0; p < width * height; p++) {
    let stdSum = 0;
    for (let c = 0; c < 3; c++) {
      const i = p * 3 + c;
      let mean = 0;
      for (const img of candidates) mean += img.data[i]!;
      mean /= k;
      let v = 0;
      for (const img of candidates) v += (img.data[i]! - mean) ** 2;
      stdSum += Math.sqrt(v / k);
    }
    const std = stdSum / 3;
    sum += std;
    const shown = Math.min(1, std * UNCERTAINTY_SCALE);
    data[p * 3] = shown;
    data[p * 3 + 1] = shown;
    data[p * 3 + 2] = shown;
  }
  return { map: { width, height, data }, meanStd: sum / (width * height) };
}
