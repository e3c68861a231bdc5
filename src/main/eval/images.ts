/** Small image helpers of the evaluator: 8-bit bytes and their hashes. */
import { createHash } from 'node:crypto';
import type { RgbImage } from '../../core/image/types';

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
