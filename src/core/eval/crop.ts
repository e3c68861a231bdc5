/**
 * A fixed per-dataset crop into the canonical frame C1: the source box (left, top, right, bottom; fractional, in
 * source pixels) resampled to size x size with the C2 kernel (Keys a = -0.5, support scaled when shrinking, taps
 * outside the image dropped and weights renormalised) — the same box semantics as PIL's `resize(box=...)`, which
 * the training package uses for the same boxes.
 */
import { keysCubic } from '../image/resample';
import type { RgbImage } from '../image/types';

/** A source box in pixels: [left, top, right, bottom]. */
export type CropBox = readonly [number, number, number, number];

function taps(inLen: number, start: number, span: number, outLen: number): { idx: number[]; w: number[] }[] {
  const scale = span / outLen;
  const support = Math.max(scale, 1);
  const out: { idx: number[]; w: number[] }[] = [];
  for (let i = 0; i < outLen; i++) {
    const c = start + (i + 0.5) * scale;
    const idx: number[] = [];
    const w: number[] = [];
    let sum = 0;
    for (let j = Math.floor(c - 2 * support); j <= Math.ceil(c + 2 * support); j++) {
      if (j < 0 || j >= inLen) continue;
      const k = keysCubic((j + 0.5 - c) / support);
      if (k === 0) continue;
      idx.push(j);
      w.push(k);
      sum += k;
    }
    if (sum === 0) throw new Error(`cropResize: output ${i} has no source pixels (box outside the image).`);
    out.push({ idx, w: w.map((v) => v / sum) });
  }
  return out;
}

/** The box of `img` resampled to `size` x `size` (horizontal pass, then vertical; float64 arithmetic). */
export function cropResize(img: RgbImage, box: CropBox, size: number): RgbImage {
  const [left, top, right, bottom] = box;
  if (!(right > left && bottom > top)) throw new Error(`cropResize: empty box [${box.join(', ')}].`);
  const tx = taps(img.width, left, right - left, size);
  const ty = taps(img.height, top, bottom - top, size);
  const mid = new Float64Array(img.height * size * 3);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < size; x++) {
      const t = tx[x]!;
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let k = 0; k < t.idx.length; k++)
          acc += t.w[k]! * img.data[(y * img.width + t.idx[k]!) * 3 + c]!;
        mid[(y * size + x) * 3 + c] = acc;
      }
    }
  }
  const out = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    const t = ty[y]!;
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let k = 0; k < t.idx.length; k++) acc += t.w[k]! * mid[(t.idx[k]! * size + x) * 3 + c]!;
        out[(y * size + x) * 3 + c] = acc;
      }
    }
  }
  return { width: size, height: size, data: out };
}
