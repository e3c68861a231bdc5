import { describe, expect, it } from 'vitest';
import { flipHorizontal, resizeImage, warpAffine, warpAffineGeneric } from '../../../src/core/face/warp';
import type { RgbImage } from '../../../src/core/image/types';

function ramp(w: number, h: number): RgbImage {
  const data = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      data[o] = 0.1 + (0.8 * x) / w;
      data[o + 1] = 0.1 + (0.8 * y) / h;
      data[o + 2] = 0.5 + 0.3 * Math.sin(x / 3) * Math.cos(y / 5);
    }
  }
  return { width: w, height: h, data };
}

describe('warpAffine', () => {
  it('identity and integer shifts reproduce pixels exactly', () => {
    const img = ramp(20, 16);
    const same = warpAffine(img, [1, 0, 0, 0, 1, 0], 20, 16);
    for (let i = 0; i < img.data.length; i++) expect(same.data[i]).toBeCloseTo(img.data[i]!, 6);
    const shifted = warpAffine(img, [1, 0, -3, 0, 1, -2], 10, 10); // output (u,v) = input (u+3, v+2)
    expect(shifted.data[(4 * 10 + 5) * 3 + 2]).toBeCloseTo(img.data[(6 * 20 + 8) * 3 + 2]!, 6);
  });

  it('keeps a linear ramp linear when enlarging, and a flat image flat when shrinking', () => {
    const img = ramp(32, 32);
    const up = resizeImage(img, 96, 96);
    // Red is linear in x: away from borders the cubic reproduces it (Keys is exact on linear functions).
    const at = (u: number) => up.data[(48 * 96 + u) * 3]!;
    expect(at(50) - at(49)).toBeCloseTo(at(40) - at(39), 5);
    const flat: RgbImage = { width: 200, height: 200, data: new Float32Array(200 * 200 * 3).fill(0.42) };
    const down = resizeImage(flat, 25, 25);
    expect(down.data[(12 * 25 + 12) * 3]).toBeCloseTo(0.42, 6);
  });

  it('antialiases when shrinking: a 1-px checkerboard becomes mid-grey, not aliased stripes', () => {
    const n = 64;
    const data = new Float32Array(n * n * 3);
    for (let i = 0; i < n * n; i++) data.fill(((i % n) + Math.floor(i / n)) % 2, i * 3, i * 3 + 3);
    const down = resizeImage({ width: n, height: n, data }, 8, 8);
    for (let i = 3 * 8 * 2; i < 3 * 8 * 6; i++) expect(Math.abs(down.data[i]! - 0.5)).toBeLessThan(0.06); // point sampling: 0.5
  });

  it('the separable scale+translate path equals the generic filter', () => {
    const img = ramp(40, 30);
    for (const m of [
      [0.37, 0, 3.2, 0, 0.37, -1.5],
      [2.3, 0, -7.1, 0, 1.7, 4.4],
    ] as const) {
      const fast = warpAffine(img, m, 23, 19);
      const slow = warpAffineGeneric(img, m, 23, 19);
      for (let i = 0; i < fast.data.length; i++) expect(fast.data[i]).toBeCloseTo(slow.data[i]!, 5);
    }
  });

  it('rejects bad sizes and flips are involutions', () => {
    const img = ramp(7, 5);
    expect(() => warpAffine(img, [1, 0, 0, 0, 1, 0], 0, 5)).toThrow(/positive/);
    const back = flipHorizontal(flipHorizontal(img));
    expect(Array.from(back.data)).toEqual(Array.from(img.data));
    expect(flipHorizontal(img).data[0]).toBe(img.data[6 * 3]);
  });
});
