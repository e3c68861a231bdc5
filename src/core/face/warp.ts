import type { RgbImage } from '../image/types';
import { keysCubic } from '../image/resample';
import { affineScale, invertAffine, type Affine } from './affine';

/**
 * Resamples `image` through the affine map `m` (source image px -> output px) into a `width`x`height` image.
 * Each output pixel centre is mapped back into the source and filtered with the Keys cubic kernel; when the
 * map shrinks the image (scale s < 1) the kernel is stretched by 1/s, as in antialiased resizing, so a large
 * face does not alias when brought down to 128 px. The kernel is axis-aligned in the source. Source pixels
 * outside the image count as black and weights are not renormalised, so out-of-frame regions stay visible.
 */
export function warpAffine(image: RgbImage, m: Affine, width: number, height: number): RgbImage {
  checkSize(width, height);
  // Scale + translation only: the same filter, computed separably (much cheaper for big shrink factors).
  if (m[1] === 0 && m[3] === 0) return warpScaleTranslate(image, m, width, height);
  return warpAffineGeneric(image, m, width, height);
}

function checkSize(width: number, height: number): void {
  if (!(width > 0 && height > 0 && Number.isInteger(width) && Number.isInteger(height))) {
    throw new Error(`warp size must be positive integers, got ${width}x${height}`);
  }
}

/** `warpAffine` without the separable fast path (exported so tests can check the two agree). */
export function warpAffineGeneric(image: RgbImage, m: Affine, width: number, height: number): RgbImage {
  checkSize(width, height);
  const inv = invertAffine(m);
  const scale = affineScale(m);
  const stretch = scale < 1 ? 1 / scale : 1; // kernel width in source pixels per unit
  const radius = 2 * stretch;
  const { width: w, height: h, data: src } = image;
  const out = new Float32Array(width * height * 3);
  const maxTaps = Math.ceil(2 * radius) + 2;
  const wx = new Float64Array(maxTaps);
  const wy = new Float64Array(maxTaps);
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const ox = u + 0.5;
      const oy = v + 0.5;
      // Source position in pixel-index space (pixel i's centre sits at i + 0.5 in Point coordinates).
      const sx = inv[0] * ox + inv[1] * oy + inv[2] - 0.5;
      const sy = inv[3] * ox + inv[4] * oy + inv[5] - 0.5;
      const x0 = Math.ceil(sx - radius);
      const y0 = Math.ceil(sy - radius);
      const nx = Math.floor(sx + radius) - x0 + 1;
      const ny = Math.floor(sy + radius) - y0 + 1;
      let sumX = 0;
      for (let i = 0; i < nx; i++) {
        wx[i] = keysCubic((x0 + i - sx) / stretch);
        sumX += wx[i]!;
      }
      let sumY = 0;
      for (let j = 0; j < ny; j++) {
        wy[j] = keysCubic((y0 + j - sy) / stretch);
        sumY += wy[j]!;
      }
      const norm = 1 / (sumX * sumY);
      let r = 0;
      let g = 0;
      let b = 0;
      for (let j = 0; j < ny; j++) {
        const y = y0 + j;
        if (y < 0 || y >= h) continue;
        const wyj = wy[j]!;
        for (let i = 0; i < nx; i++) {
          const x = x0 + i;
          if (x < 0 || x >= w) continue;
          const k = wyj * wx[i]!;
          const o = (y * w + x) * 3;
          r += k * src[o]!;
          g += k * src[o + 1]!;
          b += k * src[o + 2]!;
        }
      }
      const o = (v * width + u) * 3;
      // Cubic kernels overshoot; keep the result a valid [0,1] image.
      out[o] = Math.min(1, Math.max(0, r * norm));
      out[o + 1] = Math.min(1, Math.max(0, g * norm));
      out[o + 2] = Math.min(1, Math.max(0, b * norm));
    }
  }
  return { width, height, data: out };
}

/** One axis of a separable resampling: for each output index, the first source tap and its weights. */
interface AxisTaps {
  readonly first: Int32Array;
  readonly count: Int32Array;
  readonly weights: Float64Array; // `stride` weights per output index, already divided by the full kernel sum
  readonly stride: number;
}

/** Taps for output index i at source position `scale⁻¹·(i + 0.5) − offset/scale − 0.5` (pixel-index space). */
function axisTaps(outLen: number, inLen: number, scale: number, offset: number): AxisTaps {
  const stretch = scale < 1 ? 1 / scale : 1;
  const radius = 2 * stretch;
  const stride = Math.ceil(2 * radius) + 2;
  const first = new Int32Array(outLen);
  const count = new Int32Array(outLen);
  const weights = new Float64Array(outLen * stride);
  for (let i = 0; i < outLen; i++) {
    const sx = (i + 0.5 - offset) / scale - 0.5;
    const x0 = Math.ceil(sx - radius);
    const n = Math.floor(sx + radius) - x0 + 1;
    let sum = 0;
    const w = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      w[k] = keysCubic((x0 + k - sx) / stretch);
      sum += w[k]!;
    }
    // Keep only in-image taps (outside counts as black), normalised by the full kernel sum.
    const lo = Math.max(0, -x0);
    const hi = Math.min(n, inLen - x0);
    first[i] = x0 + lo;
    count[i] = Math.max(0, hi - lo);
    for (let k = lo; k < hi; k++) weights[i * stride + k - lo] = w[k]! / sum;
  }
  return { first, count, weights, stride };
}

/** Separable path of `warpAffine` for maps x' = a·x + c, y' = e·y + f. */
function warpScaleTranslate(image: RgbImage, m: Affine, width: number, height: number): RgbImage {
  const [a, , c, , e, f] = m;
  if (!(a > 0 && e > 0)) return warpAffineGeneric(image, m, width, height);
  const { width: w, height: h, data: src } = image;
  const tx = axisTaps(width, w, a, c);
  const ty = axisTaps(height, h, e, f);
  // Horizontal pass over every source row, then vertical.
  const tmp = new Float64Array(h * width * 3);
  for (let y = 0; y < h; y++) {
    for (let u = 0; u < width; u++) {
      let r = 0;
      let g = 0;
      let b = 0;
      const base = u * tx.stride;
      for (let k = 0; k < tx.count[u]!; k++) {
        const wgt = tx.weights[base + k]!;
        const o = (y * w + tx.first[u]! + k) * 3;
        r += wgt * src[o]!;
        g += wgt * src[o + 1]!;
        b += wgt * src[o + 2]!;
      }
      const t = (y * width + u) * 3;
      tmp[t] = r;
      tmp[t + 1] = g;
      tmp[t + 2] = b;
    }
  }
  const out = new Float32Array(width * height * 3);
  for (let v = 0; v < height; v++) {
    const base = v * ty.stride;
    for (let u = 0; u < width; u++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < ty.count[v]!; k++) {
        const wgt = ty.weights[base + k]!;
        const t = ((ty.first[v]! + k) * width + u) * 3;
        r += wgt * tmp[t]!;
        g += wgt * tmp[t + 1]!;
        b += wgt * tmp[t + 2]!;
      }
      const o = (v * width + u) * 3;
      out[o] = Math.min(1, Math.max(0, r));
      out[o + 1] = Math.min(1, Math.max(0, g));
      out[o + 2] = Math.min(1, Math.max(0, b));
    }
  }
  return { width, height, data: out };
}

/** Resizes a whole image to `width`x`height` with the same kernel (a pure scale + half-pixel-exact map). */
export function resizeImage(image: RgbImage, width: number, height: number): RgbImage {
  const sx = width / image.width;
  const sy = height / image.height;
  if (Math.abs(sx - sy) > 1e-9) throw new Error('resizeImage keeps the aspect ratio; use warpAffine');
  return warpAffine(image, [sx, 0, 0, 0, sy, 0], width, height);
}

/** Mirrors an image left-right. */
export function flipHorizontal(image: RgbImage): RgbImage {
  const { width, height, data } = image;
  const out = new Float32Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 3;
      const d = (y * width + (width - 1 - x)) * 3;
      out[d] = data[s]!;
      out[d + 1] = data[s + 1]!;
      out[d + 2] = data[s + 2]!;
    }
  }
  return { width, height, data: out };
}
