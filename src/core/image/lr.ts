/** LR formation, conditioning and consistency: the C2 operators (docs/specs/c2-lr-operator.md "Operators"). */
import { resize } from './resample';
import type { RgbImage } from './types';

/** The C2 scale factor between HR (128) and LR (16). */
export const LR_FACTOR = 8;

function checkMultiple(img: RgbImage, what: string): void {
  if (img.width % LR_FACTOR !== 0 || img.height % LR_FACTOR !== 0) {
    throw new Error(`${what}: image size ${img.width}x${img.height} is not a multiple of ${LR_FACTOR}.`);
  }
}

/** Antialiased bicubic downscale by 8 (`downscale` of the spec), not quantised. */
export function downscaleX8(hr: RgbImage): RgbImage {
  checkMultiple(hr, 'downscaleX8');
  return resize(hr, hr.width / LR_FACTOR, hr.height / LR_FACTOR);
}

/** 8-bit quantisation `floor(clamp(v, 0, 1) * 255 + 0.5) / 255` of every value. */
export function quantise8(img: RgbImage): RgbImage {
  const out = new Float32Array(img.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = Math.min(Math.max(img.data[i]!, 0), 1);
    out[i] = Math.floor(v * 255 + 0.5) / 255;
  }
  return { width: img.width, height: img.height, data: out };
}

/** `LR = quantise(downscale(HR))`: the 16x16 LR face of a 128x128 HR face. */
export function formLr(hr: RgbImage): RgbImage {
  return quantise8(downscaleX8(hr));
}

/** Conditioning `y = upscale(LR)`: bicubic x8, not clamped, not quantised. */
export function conditioning(lr: RgbImage): RgbImage {
  return resize(lr, lr.width * LR_FACTOR, lr.height * LR_FACTOR);
}

/** C2 consistency: mean over the LR values of `(255 * downscale(SR) - 255 * LR)^2`. */
export function consistency(sr: RgbImage, lr: RgbImage): number {
  const d = downscaleX8(sr);
  if (d.width !== lr.width || d.height !== lr.height) {
    throw new Error(`consistency: SR ${sr.width}x${sr.height} does not match LR ${lr.width}x${lr.height}.`);
  }
  let sum = 0;
  for (let i = 0; i < d.data.length; i++) {
    const e = 255 * d.data[i]! - 255 * lr.data[i]!;
    sum += e * e;
  }
  return sum / d.data.length;
}
