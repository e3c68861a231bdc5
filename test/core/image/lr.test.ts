import { describe, expect, it } from 'vitest';
import { conditioning, consistency, downscaleX8, formLr, quantise8 } from '../../../src/core/image/lr';
import { resize } from '../../../src/core/image/resample';
import type { RgbImage } from '../../../src/core/image/types';

/** A smooth-ish deterministic 128x128 test face stand-in. */
function testImage(): RgbImage {
  const data = new Float32Array(128 * 128 * 3);
  for (let y = 0; y < 128; y++) {
    for (let x = 0; x < 128; x++) {
      for (let c = 0; c < 3; c++) {
        data[(y * 128 + x) * 3 + c] = 0.5 + 0.45 * Math.sin(x / (7 + c) + y / 11) * Math.cos(y / 13 - x / 29);
      }
    }
  }
  return { width: 128, height: 128, data };
}

describe('C2 LR operators', () => {
  it('quantises to 8-bit levels with clamping and round-half-up', () => {
    const img: RgbImage = {
      width: 2,
      height: 1,
      data: Float32Array.from([-0.2, 0.5, 1.7, 0.1 / 255, 0.5 / 255, 0.49 / 255]),
    };
    const q = quantise8(img).data;
    expect(Array.from(q)).toEqual([0, 128 / 255, 1, 0, 1 / 255, 0].map((v) => Math.fround(v)));
  });

  it('forms a 16x16 LR of exact 8-bit values, the quantised x8 downscale', () => {
    const hr = testImage();
    const lr = formLr(hr);
    expect([lr.width, lr.height]).toEqual([16, 16]);
    const d = downscaleX8(hr);
    for (let i = 0; i < lr.data.length; i++) {
      const level = lr.data[i]! * 255;
      expect(Math.abs(level - Math.round(level))).toBeLessThan(1e-4);
      expect(Math.abs(lr.data[i]! - d.data[i]!)).toBeLessThanOrEqual(0.5 / 255 + 1e-7);
    }
    expect(downscaleX8(hr).data).toEqual(resize(hr, 16, 16).data);
  });

  it('conditions by x8 bicubic upscale without clamping', () => {
    const lr: RgbImage = { width: 16, height: 16, data: new Float32Array(768) };
    lr.data[3 * (8 * 16 + 8)] = 1; // one bright red pixel: bicubic rings below zero nearby
    const y = conditioning(lr);
    expect([y.width, y.height]).toEqual([128, 128]);
    expect(y.data.reduce((m, v) => Math.min(m, v), 0)).toBeLessThan(0);
    expect(y.data).toEqual(resize(lr, 128, 128).data);
  });

  it('consistency is 0 for the HR itself up to quantisation, and the spec MSE otherwise', () => {
    const hr = testImage();
    const lr = formLr(hr);
    const c = consistency(hr, lr);
    // Quantisation error is at most half a level: MSE <= 0.25 on the 0-255 scale.
    expect(c).toBeGreaterThan(0);
    expect(c).toBeLessThanOrEqual(0.25);
    const brighter: RgbImage = { ...hr, data: hr.data.map((v) => v + 2 / 255) };
    // A constant shift of 2 levels moves the downscale by exactly 2 levels (weights sum to 1).
    let expected = 0;
    const d = downscaleX8(brighter).data;
    for (let i = 0; i < d.length; i++) expected += (255 * d[i]! - 255 * lr.data[i]!) ** 2;
    expect(consistency(brighter, lr)).toBeCloseTo(expected / d.length, 10);
    expect(consistency(brighter, lr)).toBeGreaterThan(2);
    expect(() => consistency(hr, { width: 8, height: 8, data: new Float32Array(192) })).toThrow(
      /does not match/,
    );
  });

  it('rejects sizes that are not multiples of 8', () => {
    expect(() => downscaleX8({ width: 12, height: 16, data: new Float32Array(576) })).toThrow(
      /multiple of 8/,
    );
  });
});
