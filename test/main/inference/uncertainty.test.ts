import { describe, expect, it } from 'vitest';
import { enlargeNearest } from '../../../src/main/imaging/encode';
import { UNCERTAINTY_SCALE, uncertaintyMap } from '../../../src/main/inference/uncertainty';

const img = (values: number[]): { width: number; height: number; data: Float32Array } => ({
  width: values.length / 3,
  height: 1,
  data: Float32Array.from(values),
});

describe('uncertaintyMap', () => {
  it('is the per-pixel population std across candidates, mean over RGB, on a fixed scale', () => {
    const a = img([0, 0, 0, 0.5, 0.5, 0.5]);
    const b = img([0, 0, 0, 0.5, 0.5, 0.4]);
    const { map, meanStd } = uncertaintyMap([a, b]);
    // Pixel 0: no spread. Pixel 1: only blue differs (std 0.05), mean over RGB 0.05 / 3.
    expect(Array.from(map.data.slice(0, 3))).toEqual([0, 0, 0]);
    expect(map.data[3]).toBeCloseTo((0.05 / 3) * UNCERTAINTY_SCALE, 6);
    expect(map.data[4]).toBe(map.data[3]);
    expect(meanStd).toBeCloseTo(0.05 / 3 / 2, 6);
    const wide = uncertaintyMap([img([0, 0, 0]), img([1, 1, 1])]);
    expect(wide.map.data[0]).toBe(1); // std 0.5 saturates at white
    expect(uncertaintyMap([a]).meanStd).toBe(0);
  });
});

describe('enlargeNearest', () => {
  it('repeats every pixel factor x factor times', () => {
    const big = enlargeNearest({ width: 2, height: 1, data: Float32Array.from([1, 0, 0, 0, 0, 1]) }, 2);
    expect([big.width, big.height]).toEqual([4, 2]);
    expect(Array.from(big.data.slice(0, 12))).toEqual([1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1]);
    expect(Array.from(big.data.slice(12))).toEqual(Array.from(big.data.slice(0, 12)));
  });
});
