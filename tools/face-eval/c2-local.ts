/**
 * A local copy of the C2 LR operator (docs/specs/c2-lr-operator.md) for the identity measurement only,
 * written while src/core/image/lr.ts was not yet merged into this branch. Float64 arithmetic, separable,
 * horizontal then vertical, weights normalised over in-image taps.
 */
import type { RgbImage } from '../../src/core/image/types';
import { keysCubic } from '../../src/core/face/warp';

function resampleAxis(
  src: Float64Array,
  w: number,
  h: number,
  outLen: number,
  horizontal: boolean,
): { data: Float64Array; w: number; h: number } {
  const inLen = horizontal ? w : h;
  const s = inLen / outLen;
  const support = 2 * Math.max(s, 1);
  const ow = horizontal ? outLen : w;
  const oh = horizontal ? h : outLen;
  const out = new Float64Array(ow * oh * 3);
  for (let i = 0; i < outLen; i++) {
    const c = (i + 0.5) * s;
    const taps: number[] = [];
    const weights: number[] = [];
    let sum = 0;
    for (let j = Math.floor(c - support); j <= Math.ceil(c + support); j++) {
      if (j < 0 || j >= inLen) continue;
      const k = keysCubic((j + 0.5 - c) / Math.max(s, 1));
      taps.push(j);
      weights.push(k);
      sum += k;
    }
    const other = horizontal ? h : w;
    for (let o = 0; o < other; o++) {
      for (let ch = 0; ch < 3; ch++) {
        let acc = 0;
        for (let t = 0; t < taps.length; t++) {
          const idx = horizontal ? (o * w + taps[t]!) * 3 + ch : (taps[t]! * w + o) * 3 + ch;
          acc += weights[t]! * src[idx]!;
        }
        const dst = horizontal ? (o * ow + i) * 3 + ch : (i * ow + o) * 3 + ch;
        out[dst] = acc / sum;
      }
    }
  }
  return { data: out, w: ow, h: oh };
}

/** Separable Keys-cubic resize per C2 (antialiased when shrinking). */
export function resizeC2(image: RgbImage, width: number, height: number): RgbImage {
  const src = Float64Array.from(image.data);
  const hPass = resampleAxis(src, image.width, image.height, width, true);
  const vPass = resampleAxis(hPass.data, hPass.w, hPass.h, height, false);
  return { width, height, data: Float32Array.from(vPass.data) };
}

/** LR = quantise(downscale(HR)) at 16x16. */
export function lrFromHr(hr: RgbImage): RgbImage {
  const d = resizeC2(hr, 16, 16);
  const q = d.data.map((v) => Math.floor(Math.min(1, Math.max(0, v)) * 255 + 0.5) / 255);
  return { width: 16, height: 16, data: q };
}

/** y = upscale(LR) to 128x128 (not clamped). */
export function bicubicFromLr(lr: RgbImage): RgbImage {
  return resizeC2(lr, 128, 128);
}
