import { describe, expect, it } from 'vitest';
import { candidateMean } from '../../../src/core/image/candidate-mean';
import type { RgbImage } from '../../../src/core/image/types';

const img = (values: number[]): RgbImage => ({ width: 1, height: 2, data: Float32Array.from(values) });

describe('candidateMean', () => {
  it('averages the candidates pixel by pixel, channel by channel', () => {
    const m = candidateMean([img([0, 0.2, 1, 0.5, 0.5, 0.5]), img([1, 0.4, 0, 0.5, 0.1, 0.3])]);
    expect(m.width).toBe(1);
    expect(m.height).toBe(2);
    expect([...m.data].map((v) => +v.toFixed(6))).toEqual([0.5, 0.3, 0.5, 0.5, 0.3, 0.4]);
  });

  it('is blurrier where candidates disagree: agreeing pixels are kept exactly', () => {
    const a = img([0.25, 0.25, 0.25, 0, 0, 0]);
    const b = img([0.25, 0.25, 0.25, 1, 1, 1]);
    const m = candidateMean([a, b, a, b]);
    expect([...m.data.slice(0, 3)]).toEqual([0.25, 0.25, 0.25]);
    expect([...m.data.slice(3)]).toEqual([0.5, 0.5, 0.5]);
  });

  it('refuses no candidates and candidates of different sizes', () => {
    expect(() => candidateMean([])).toThrow(/at least one candidate/);
    expect(() =>
      candidateMean([img([0, 0, 0, 0, 0, 0]), { width: 2, height: 1, data: new Float32Array(6) }]),
    ).toThrow(/differ in size/);
  });
});
