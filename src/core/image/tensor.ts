/** Conversions between HWC RGB images in [0,1] and NCHW float32 batches in a model's data range. */
import type { Tensor } from '../sampling/api';
import type { RgbImage } from './types';

/** Stack images (all the same size) into an NCHW batch, mapping [0,1] linearly onto `range`. */
export function toChw(images: readonly RgbImage[], range: readonly [number, number]): Tensor {
  const first = images[0];
  if (!first) throw new Error('toChw: no images.');
  const { width: w, height: h } = first;
  const [lo, hi] = range;
  const scale = hi - lo;
  const plane = w * h;
  const data = new Float32Array(images.length * 3 * plane);
  images.forEach((img, b) => {
    if (img.width !== w || img.height !== h) {
      throw new Error(`toChw: image ${b} is ${img.width}x${img.height}, expected ${w}x${h}.`);
    }
    const base = b * 3 * plane;
    const src = img.data;
    for (let p = 0; p < plane; p++) {
      data[base + p] = src[3 * p]! * scale + lo;
      data[base + plane + p] = src[3 * p + 1]! * scale + lo;
      data[base + 2 * plane + p] = src[3 * p + 2]! * scale + lo;
    }
  });
  return { data, shape: [images.length, 3, h, w] };
}

/** Batch item `index` of an NCHW tensor as an HWC image, mapped from `range` back to [0,1] and clamped. */
export function fromChw(t: Tensor, index: number, range: readonly [number, number]): RgbImage {
  const [n, c, h, w] = t.shape;
  if (t.shape.length !== 4 || c !== 3 || n === undefined || h === undefined || w === undefined) {
    throw new Error(`fromChw: expected shape [B,3,H,W], got [${t.shape.join(',')}].`);
  }
  if (!Number.isInteger(index) || index < 0 || index >= n) {
    throw new Error(`fromChw: index ${index} outside batch of ${n}.`);
  }
  const [lo, hi] = range;
  const scale = hi - lo;
  const plane = w * h;
  const base = index * 3 * plane;
  const data = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) {
    for (let ch = 0; ch < 3; ch++) {
      const v = (t.data[base + ch * plane + p]! - lo) / scale;
      data[3 * p + ch] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  return { width: w, height: h, data };
}
