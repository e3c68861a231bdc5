/** Small image helpers of the evaluator: 8-bit quantisation, hashing, and HWC <-> CHW batches. */
import { createHash } from 'node:crypto';
import type { RgbImage } from '../../core/image/types';
import type { Tensor } from '../../core/sampling/api';

/** The image clamped to [0,1] and rounded to 8 bits (as if saved to PNG), still as floats in [0,1]. */
export function quantise8(img: RgbImage): RgbImage {
  const data = new Float32Array(img.data.length);
  for (let i = 0; i < data.length; i++)
    data[i] = Math.round(Math.min(1, Math.max(0, img.data[i]!)) * 255) / 255;
  return { width: img.width, height: img.height, data };
}

/** The image as 8-bit RGB bytes (HWC), clamped and rounded. */
export function toBytes(img: RgbImage): Uint8Array {
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, img.data[i]!)) * 255);
  return out;
}

/** SHA-256 (hex) of the image's 8-bit RGB bytes. */
export function imageSha256(img: RgbImage): string {
  return createHash('sha256').update(toBytes(img)).digest('hex');
}

/** An image from 8-bit RGB bytes (HWC). */
export function fromBytes(bytes: Uint8Array, width: number, height: number): RgbImage {
  if (bytes.length !== width * height * 3)
    throw new Error(`Expected ${width * height * 3} RGB bytes, got ${bytes.length}.`);
  const data = new Float32Array(bytes.length);
  for (let i = 0; i < data.length; i++) data[i] = bytes[i]! / 255;
  return { width, height, data };
}

/** A batch [B,3,H,W] from same-sized HWC images, each value mapped by `f`. */
export function toChwBatch(imgs: readonly RgbImage[], f: (v: number) => number = (v) => v): Tensor {
  const first = imgs[0];
  if (!first) throw new Error('toChwBatch: no images.');
  const { width: w, height: h } = first;
  const plane = w * h;
  const data = new Float32Array(imgs.length * 3 * plane);
  imgs.forEach((img, b) => {
    if (img.width !== w || img.height !== h) throw new Error('toChwBatch: images differ in size.');
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < 3; c++) data[b * 3 * plane + c * plane + p] = f(img.data[p * 3 + c]!);
    }
  });
  return { data, shape: [imgs.length, 3, h, w] };
}

/** Item `b` of a [B,3,H,W] batch as an HWC image, each value mapped by `f`. */
export function fromChwBatch(t: Tensor, b: number, f: (v: number) => number = (v) => v): RgbImage {
  const [, c, h, w] = t.shape as [number, number, number, number];
  if (c !== 3) throw new Error(`fromChwBatch: expected 3 channels, got ${c}.`);
  const plane = w * h;
  const data = new Float32Array(plane * 3);
  for (let p = 0; p < plane; p++) {
    for (let k = 0; k < 3; k++) data[p * 3 + k] = f(t.data[b * 3 * plane + k * plane + p]!);
  }
  return { width: w, height: h, data };
}
