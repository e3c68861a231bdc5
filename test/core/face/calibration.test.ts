import { describe, expect, it } from 'vitest';
import {
  calibrate,
  cosineSimilarity,
  percentileFromQuantiles,
  quantiles,
} from '../../../src/core/face/calibration';

describe('score calibration', () => {
  it('takes quantiles by linear interpolation of order statistics', () => {
    expect(quantiles([3, 1, 2, 4, 5], 5)).toEqual([1, 2, 3, 4, 5]);
    expect(quantiles([0, 10], 3)).toEqual([0, 5, 10]);
  });

  it('places a score among impostors and genuines (percent at or below)', () => {
    const manifest = {
      calibration: {
        impostorQuantiles: quantiles([0, 0.1, 0.2, 0.3, 0.4], 5),
        genuineQuantiles: quantiles([0.3, 0.5, 0.6, 0.7, 0.9], 5),
        impostorPairs: 5,
        genuinePairs: 5,
      },
    };
    const c = calibrate(0.35, manifest);
    expect(c.impostorPercentile).toBeCloseTo(87.5, 9);
    expect(c.genuinePercentile).toBeCloseTo(6.25, 9);
    expect(calibrate(-1, manifest)).toEqual({ impostorPercentile: 0, genuinePercentile: 0 });
    expect(calibrate(1, manifest)).toEqual({ impostorPercentile: 100, genuinePercentile: 100 });
    expect(() => calibrate(0.5, {})).toThrow(/calibration/);
    expect(() => percentileFromQuantiles(Number.NaN, [0, 1])).toThrow(/finite/);
  });

  it('is monotone in the score', () => {
    const table = quantiles(
      Array.from({ length: 200 }, (_, i) => Math.sin(i) * 0.3),
      101,
    );
    let last = -1;
    for (let s = -0.5; s <= 0.5; s += 0.01) {
      const p = percentileFromQuantiles(s, table);
      expect(p).toBeGreaterThanOrEqual(last);
      last = p;
    }
  });

  it('computes cosine similarity', () => {
    expect(cosineSimilarity(Float32Array.of(1, 0), Float32Array.of(1, 1))).toBeCloseTo(Math.SQRT1_2, 6);
    expect(() => cosineSimilarity(Float32Array.of(1), Float32Array.of(1, 2))).toThrow(/lengths/);
  });
});
