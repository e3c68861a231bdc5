import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { axisTaps, keysCubic, resize } from '../../../src/core/image/resample';
import type { RgbImage } from '../../../src/core/image/types';

interface FixtureImage {
  width: number;
  height: number;
  data: number[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/core/c2-reference.json', import.meta.url), 'utf8'),
) as { source: FixtureImage; cases: FixtureImage[]; lrSource: FixtureImage; upscaleX8: FixtureImage };
const toImage = (f: FixtureImage): RgbImage => ({
  width: f.width,
  height: f.height,
  data: Float32Array.from(f.data),
});

function maxAbsDiff(a: Float32Array, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('C2 kernel', () => {
  it('is Keys cubic with a = -0.5', () => {
    expect(keysCubic(0)).toBe(1);
    expect(keysCubic(1)).toBe(0);
    expect(keysCubic(2)).toBe(0);
    expect(keysCubic(0.5)).toBeCloseTo(0.5625, 15); // (1.5)(1/8) - (2.5)(1/4) + 1
    expect(keysCubic(-1.5)).toBeCloseTo(-0.0625, 15); // -0.5(3.375) + 2.5(2.25) - 4(1.5) + 2
    expect(keysCubic(2.5)).toBe(0);
  });

  it('builds the spec taps for x8 downscale: centre, support 16 and renormalised weights', () => {
    const taps = axisTaps(128, 16);
    // Output 0: c = 4, taps floor(4 - 16) .. ceil(4 + 16) clipped to 0 .. 20.
    expect(taps.first[0]).toBe(0);
    expect(taps.count[0]).toBe(21);
    let sum = 0;
    const raw: number[] = [];
    for (let j = 0; j <= 20; j++) raw.push(keysCubic((j + 0.5 - 4) / 8));
    const rawSum = raw.reduce((a, b) => a + b, 0);
    for (let j = 0; j <= 20; j++) {
      expect(taps.weights[j]).toBeCloseTo(raw[j]! / rawSum, 15);
      sum += taps.weights[j]!;
    }
    expect(sum).toBeCloseTo(1, 14);
  });

  it('is the identity at the same size and keeps constants, down and up', () => {
    const img: RgbImage = {
      width: 5,
      height: 4,
      data: Float32Array.from({ length: 60 }, (_, i) => (i * 7) % 11),
    };
    expect(resize(img, 5, 4).data).toEqual(img.data);
    const flat: RgbImage = { width: 16, height: 16, data: new Float32Array(768).fill(0.3) };
    for (const [w, h] of [
      [2, 2],
      [3, 5],
      [40, 33],
    ] as const) {
      const out = resize(flat, w, h);
      expect(maxAbsDiff(out.data, new Float32Array(w * h * 3).fill(0.3))).toBeLessThan(1e-7);
    }
  });

  it('matches PyTorch antialiased bicubic (float64 reference) down, up and mixed, to 1e-6', () => {
    const src = toImage(fixture.source);
    for (const c of fixture.cases) {
      const out = resize(src, c.width, c.height);
      expect(out.width).toBe(c.width);
      expect(maxAbsDiff(out.data, c.data), `${c.width}x${c.height}`).toBeLessThan(1e-6);
    }
    const up = resize(toImage(fixture.lrSource), 24, 16);
    expect(maxAbsDiff(up.data, fixture.upscaleX8.data)).toBeLessThan(1e-6);
  });

  it('rejects bad sizes', () => {
    const img: RgbImage = { width: 2, height: 2, data: new Float32Array(12) };
    expect(() => resize(img, 0, 2)).toThrow(/positive integers/);
    expect(() => resize({ ...img, data: new Float32Array(5) }, 1, 1)).toThrow(/expected 12/);
  });
});
