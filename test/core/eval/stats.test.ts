import { describe, expect, it } from 'vitest';
import { meanStdOf, pearsonOf } from '../../../src/core/eval/stats';

describe('meanStdOf', () => {
  it('gives the mean and the sample standard deviation', () => {
    // 2,4,4,4,5,5,7,9: mean 5, sum of squared deviations 32 -> sample std sqrt(32 / 7).
    const r = meanStdOf([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(r.mean).toBe(5);
    expect(r.std).toBeCloseTo(Math.sqrt(32 / 7), 14);
  });
  it('is NaN for no values and 0 std for one', () => {
    expect(meanStdOf([]).mean).toBeNaN();
    expect(meanStdOf([3])).toEqual({ mean: 3, std: 0 });
  });
});

describe('pearsonOf', () => {
  it('is +1 and -1 for exact linear relations', () => {
    expect(pearsonOf([1, 2, 3, 4], [3, 5, 7, 9])).toBeCloseTo(1, 12);
    expect(pearsonOf([1, 2, 3, 4], [8, 6, 4, 2])).toBeCloseTo(-1, 12);
  });
  it('matches a hand-computed value', () => {
    // x = 1,2,3; y = 1,3,2: sxy = 1, sxx = 2, syy = 2 -> r = 0.5.
    expect(pearsonOf([1, 2, 3], [1, 3, 2])).toBeCloseTo(0.5, 12);
  });
  it('is null when undefined and throws on unpaired input', () => {
    expect(pearsonOf([1], [2])).toBeNull();
    expect(pearsonOf([1, 2, 3], [4, 4, 4])).toBeNull();
    expect(() => pearsonOf([1, 2], [1])).toThrow(/2 x values but 1/);
  });
});
