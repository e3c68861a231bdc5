/**
 * The C2 resampling kernel (docs/specs/c2-lr-operator.md): separable Keys bicubic (a = -0.5) with the support
 * scaled by the factor when shrinking (antialiasing), taps outside the image dropped and weights renormalised.
 */
import type { RgbImage } from './types';

/** Keys' cubic convolution kernel with a = -0.5 (spec "Kernel"). */
export function keysCubic(x: number): number {
  const a = -0.5;
  const ax = Math.abs(x);
  if (ax <= 1) return (a + 2) * ax * ax * ax - (a + 3) * ax * ax + 1;
  if (ax < 2) return a * ax * ax * ax - 5 * a * ax * ax + 8 * a * ax - 4 * a;
  return 0;
}

/** Normalised taps of one axis: output i reads input `first[i] .. first[i] + count[i] - 1` with `weights`. */
export interface AxisTaps {
  readonly first: Int32Array;
  readonly count: Int32Array;
  /** `maxTaps` float64 weights per output index, row i at `i * maxTaps`. */
  readonly weights: Float64Array;
  readonly maxTaps: number;
}

/** The spec's taps and weights for resampling one axis of length `inLen` to `outLen` (float64). */
export function axisTaps(inLen: number, outLen: number): AxisTaps {
  const s = inLen / outLen;
  const support = Math.max(s, 1);
  const w = 2 * support;
  const maxTaps = Math.ceil(2 * w) + 3;
  const first = new Int32Array(outLen);
  const count = new Int32Array(outLen);
  const weights = new Float64Array(outLen * maxTaps);
  for (let i = 0; i < outLen; i++) {
    const c = (i + 0.5) * s;
    const lo = Math.max(Math.floor(c - w), 0);
    const hi = Math.min(Math.ceil(c + w), inLen - 1);
    let sum = 0;
    for (let j = lo; j <= hi; j++) {
      const k = keysCubic((j + 0.5 - c) / support);
      weights[i * maxTaps + (j - lo)] = k;
      sum += k;
    }
    for (let j = lo; j <= hi; j++) weights[i * maxTaps + (j - lo)] = weights[i * maxTaps + (j - lo)]! / sum;
    first[i] = lo;
    count[i] = hi - lo + 1;
  }
  return { first, count, weights, maxTaps };
}

/** Resize an RGB image with the C2 kernel (down or up): horizontal pass, then vertical, float64 inside. */
export function resize(img: RgbImage, width: number, height: number): RgbImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`resize: target size must be positive integers, got ${width}x${height}.`);
  }
  if (img.data.length !== img.width * img.height * 3) {
    throw new Error(
      `resize: image data has ${img.data.length} values, expected ${img.width * img.height * 3}.`,
    );
  }
  const src = img.data;
  const inW = img.width;
  const inH = img.height;
  const tx = axisTaps(inW, width);
  const ty = axisTaps(inH, height);
  // Horizontal pass: inH rows x width columns x 3 channels, kept in float64.
  const mid = new Float64Array(inH * width * 3);
  for (let y = 0; y < inH; y++) {
    const row = y * inW * 3;
    for (let x = 0; x < width; x++) {
      const f = tx.first[x]!;
      const n = tx.count[x]!;
      const wo = x * tx.maxTaps;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < n; k++) {
        const wk = tx.weights[wo + k]!;
        const p = row + (f + k) * 3;
        r += wk * src[p]!;
        g += wk * src[p + 1]!;
        b += wk * src[p + 2]!;
      }
      const o = (y * width + x) * 3;
      mid[o] = r;
      mid[o + 1] = g;
      mid[o + 2] = b;
    }
  }
  // Vertical pass, rounded to float32 on store.
  const out = new Float32Array(height * width * 3);
  for (let y = 0; y < height; y++) {
    const f = ty.first[y]!;
    const n = ty.count[y]!;
    const wo = y * ty.maxTaps;
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < n; k++) {
        const wk = ty.weights[wo + k]!;
        const p = ((f + k) * width + x) * 3;
        r += wk * mid[p]!;
        g += wk * mid[p + 1]!;
        b += wk * mid[p + 2]!;
      }
      const o = (y * width + x) * 3;
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
    }
  }
  return { width, height, data: out };
}
