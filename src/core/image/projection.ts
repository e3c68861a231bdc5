/**
 * LR data consistency: the least-change projection onto {x : downscale(x) = LR} for the C2 downscale.
 * The downscale is separable, D = D_y (x) D_x, so its pseudo-inverse is too: D+ = D_y+ (x) D_x+ with
 * D+ = D^T (D D^T)^{-1} per axis, and x' = x + D+ (LR - D x) satisfies D x' = LR exactly (up to float rounding).
 */
import type { Tensor } from '../sampling/api';
import { axisTaps } from './resample';
import { LR_FACTOR } from './lr';
import type { RgbImage } from './types';

/** Dense row-major C2 resampling matrix of one axis (out x in). */
function axisMatrix(inLen: number, outLen: number): Float64Array {
  const taps = axisTaps(inLen, outLen);
  const m = new Float64Array(outLen * inLen);
  for (let i = 0; i < outLen; i++) {
    for (let k = 0; k < taps.count[i]!; k++)
      m[i * inLen + taps.first[i]! + k] = taps.weights[i * taps.maxTaps + k]!;
  }
  return m;
}

/** Pseudo-inverse D^T (D D^T)^{-1} of a full-row-rank out x in matrix, as in x out (Gauss-Jordan, float64). */
function pseudoInverse(d: Float64Array, out: number, inn: number): Float64Array {
  // A = D D^T (out x out), augmented with I.
  const w = 2 * out;
  const a = new Float64Array(out * w);
  for (let i = 0; i < out; i++) {
    for (let j = 0; j < out; j++) {
      let s = 0;
      for (let k = 0; k < inn; k++) s += d[i * inn + k]! * d[j * inn + k]!;
      a[i * w + j] = s;
    }
    a[i * w + out + i] = 1;
  }
  for (let col = 0; col < out; col++) {
    let piv = col;
    for (let r = col + 1; r < out; r++) if (Math.abs(a[r * w + col]!) > Math.abs(a[piv * w + col]!)) piv = r;
    if (Math.abs(a[piv * w + col]!) < 1e-12)
      throw new Error('LR projection: downscale matrix is rank deficient.');
    if (piv !== col) {
      for (let j = 0; j < w; j++) {
        const tmp = a[col * w + j]!;
        a[col * w + j] = a[piv * w + j]!;
        a[piv * w + j] = tmp;
      }
    }
    const p = a[col * w + col]!;
    for (let j = 0; j < w; j++) a[col * w + j] = a[col * w + j]! / p;
    for (let r = 0; r < out; r++) {
      if (r === col) continue;
      const f = a[r * w + col]!;
      if (f === 0) continue;
      for (let j = 0; j < w; j++) a[r * w + j] = a[r * w + j]! - f * a[col * w + j]!;
    }
  }
  // P = D^T A^{-1} (in x out).
  const pinv = new Float64Array(inn * out);
  for (let k = 0; k < inn; k++) {
    for (let j = 0; j < out; j++) {
      let s = 0;
      for (let i = 0; i < out; i++) s += d[i * inn + k]! * a[i * w + out + j]!;
      pinv[k * out + j] = s;
    }
  }
  return pinv;
}

/**
 * A `SampleRequest.project` for LR data consistency: for batch item b (NCHW in [0,1]) it returns the image nearest
 * in L2 whose C2 downscale equals `lrs[b]` (all LR images the same size; the HR is 8x larger).
 */
export function createLrProjection(lrs: readonly RgbImage[]): (x0: Tensor) => Tensor {
  const first = lrs[0];
  if (!first) throw new Error('LR projection: no LR images.');
  const lw = first.width;
  const lh = first.height;
  const hw = lw * LR_FACTOR;
  const hh = lh * LR_FACTOR;
  const dx = axisMatrix(hw, lw);
  const dy = axisMatrix(hh, lh);
  const px = pseudoInverse(dx, lw, hw);
  const py = pseudoInverse(dy, lh, hh);
  const rowTmp = new Float64Array(hh * lw);
  const residual = new Float64Array(lh * lw);
  const upRows = new Float64Array(hh * lw);
  return (x0: Tensor): Tensor => {
    const [n, c, h, w] = x0.shape;
    if (x0.shape.length !== 4 || c !== 3 || h !== hh || w !== hw || n !== lrs.length) {
      throw new Error(`LR projection: expected [${lrs.length},3,${hh},${hw}], got [${x0.shape.join(',')}].`);
    }
    const out = new Float32Array(x0.data.length);
    const plane = hh * hw;
    for (let b = 0; b < n; b++) {
      const lr = lrs[b]!;
      if (lr.width !== lw || lr.height !== lh) throw new Error(`LR projection: LR ${b} differs in size.`);
      for (let ch = 0; ch < 3; ch++) {
        const base = (b * 3 + ch) * plane;
        // Downscale horizontally then vertically (C2 order), residual r = LR - D x.
        for (let y = 0; y < hh; y++) {
          for (let j = 0; j < lw; j++) {
            let s = 0;
            for (let k = 0; k < hw; k++) s += dx[j * hw + k]! * x0.data[base + y * hw + k]!;
            rowTmp[y * lw + j] = s;
          }
        }
        for (let i = 0; i < lh; i++) {
          for (let j = 0; j < lw; j++) {
            let s = 0;
            for (let y = 0; y < hh; y++) s += dy[i * hh + y]! * rowTmp[y * lw + j]!;
            residual[i * lw + j] = lr.data[(i * lw + j) * 3 + ch]! - s;
          }
        }
        // x' = x + P_y r P_x^T.
        for (let y = 0; y < hh; y++) {
          for (let j = 0; j < lw; j++) {
            let s = 0;
            for (let i = 0; i < lh; i++) s += py[y * lh + i]! * residual[i * lw + j]!;
            upRows[y * lw + j] = s;
          }
        }
        for (let y = 0; y < hh; y++) {
          for (let x = 0; x < hw; x++) {
            let s = 0;
            for (let j = 0; j < lw; j++) s += upRows[y * lw + j]! * px[x * lw + j]!;
            out[base + y * hw + x] = x0.data[base + y * hw + x]! + s;
          }
        }
      }
    }
    return { data: out, shape: x0.shape };
  };
}
