import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../src/core/image/types';
import { consistency, cosineSimilarity, meanStd, pearson, psnr, ssim } from '../../../src/core/metrics';

interface Case {
  width: number;
  height: number;
  a: number[];
  b: number[];
  psnr: number;
  ssim: number;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/core/metrics-reference.json', import.meta.url), 'utf8'),
) as { cases: Case[] };
const img = (c: Case, d: number[]): RgbImage => ({
  width: c.width,
  height: c.height,
  data: Float32Array.from(d),
});

describe('PSNR and SSIM', () => {
  it('match scikit-image (float64 reference fixture) on four image pairs', () => {
    expect(fixture.cases).toHaveLength(4);
    for (const c of fixture.cases) {
      const a = img(c, c.a);
      const b = img(c, c.b);
      expect(psnr(a, b)).toBeCloseTo(c.psnr, 9);
      expect(ssim(a, b)).toBeCloseTo(c.ssim, 9);
      expect(ssim(b, a)).toBeCloseTo(c.ssim, 9);
    }
  });

  it('are Infinity and 1 for identical images, and reject size mismatches', () => {
    const c = fixture.cases[0]!;
    const a = img(c, c.a);
    expect(psnr(a, a)).toBe(Infinity);
    expect(ssim(a, a)).toBeCloseTo(1, 12);
    const other: RgbImage = { width: 16, height: 17, data: new Float32Array(16 * 17 * 3) };
    expect(() => psnr(a, other)).toThrow(/differ in size/);
    expect(() => ssim(a, other)).toThrow(/differ in size/);
    expect(() =>
      ssim(
        { width: 5, height: 5, data: new Float32Array(75) },
        { width: 5, height: 5, data: new Float32Array(75) },
      ),
    ).toThrow(/at least 11x11/);
  });

  it('PSNR is 20 log10(255 / e) for a uniform error of e levels', () => {
    const a: RgbImage = { width: 4, height: 4, data: new Float32Array(48).fill(0.5) };
    const b: RgbImage = { ...a, data: new Float32Array(48).fill(0.5 + 3 / 255) };
    expect(psnr(a, b)).toBeCloseTo(20 * Math.log10(255 / 3), 4);
  });

  it('re-exports C2 consistency', () => {
    const lr: RgbImage = { width: 1, height: 1, data: Float32Array.from([0.5, 0.5, 0.5]) };
    const sr: RgbImage = { width: 8, height: 8, data: new Float32Array(192).fill(0.5 + 1 / 255) };
    expect(consistency(sr, lr)).toBeCloseTo(1, 4);
  });
});

describe('statistics', () => {
  it('cosine similarity', () => {
    expect(cosineSimilarity(Float32Array.from([1, 0]), Float32Array.from([0, 2]))).toBe(0);
    expect(cosineSimilarity(Float32Array.from([1, 2, 3]), Float32Array.from([2, 4, 6]))).toBeCloseTo(1, 12);
    expect(cosineSimilarity(Float32Array.from([1, 1]), Float32Array.from([-1, 0]))).toBeCloseTo(
      -Math.SQRT1_2,
      7,
    );
    expect(cosineSimilarity(Float32Array.from([0, 0]), Float32Array.from([1, 0]))).toBe(0);
    expect(() => cosineSimilarity(new Float32Array(2), new Float32Array(3))).toThrow(/lengths/);
  });

  it('mean and sample standard deviation', () => {
    expect(meanStd([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, std: Math.sqrt(32 / 7) });
    expect(meanStd([3])).toEqual({ mean: 3, std: 0 });
    expect(() => meanStd([])).toThrow(/no values/);
  });

  it('Pearson correlation', () => {
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3, 4], [8, 6, 4, 2])).toBeCloseTo(-1, 12);
    // Hand computed: x = (1,2,3), y = (1,3,2): sxy = 1, sxx = syy = 2 -> 0.5.
    expect(pearson([1, 2, 3], [1, 3, 2])).toBeCloseTo(0.5, 12);
    expect(() => pearson([1], [1])).toThrow(/two pairs/);
  });
});
