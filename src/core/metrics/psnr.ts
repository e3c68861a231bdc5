/** Peak signal-to-noise ratio (DESIGN.md section 4: RGB, 0-255 scale, whole image). */
import type { RgbImage } from '../image/types';

/** Throws unless two images have the same size. */
export function checkSameSize(a: RgbImage, b: RgbImage, what: string): void {
  if (a.width !== b.width || a.height !== b.height || a.data.length !== b.data.length) {
    throw new Error(`${what}: images differ in size (${a.width}x${a.height} vs ${b.width}x${b.height}).`);
  }
}

/** PSNR in dB of `a` against `b`: 10 log10(255^2 / MSE) over all RGB values on the 0-255 scale; Infinity if equal. */
export function psnr(a: RgbImage, b: RgbImage): number {
  checkSameSize(a, b, 'psnr');
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) {
    const e = 255 * a.data[i]! - 255 * b.data[i]!;
    sum += e * e;
  }
  const mse = sum / a.data.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}
