import { describe, expect, it } from 'vitest';
import { cosine, rank1 } from '../../../src/core/eval/identification';

const v = (...xs: number[]): Float32Array => Float32Array.from(xs);

describe('cosine', () => {
  it('is scale invariant and signed', () => {
    expect(cosine(v(1, 0), v(5, 0))).toBeCloseTo(1, 12);
    expect(cosine(v(1, 0), v(0, 2))).toBeCloseTo(0, 12);
    expect(cosine(v(1, 1), v(-2, -2))).toBeCloseTo(-1, 12);
    expect(cosine(v(1, 2, 3), v(4, 5, 6))).toBeCloseTo(32 / Math.sqrt(14 * 77), 12);
  });
  it('is 0 for a zero vector and rejects mismatched lengths', () => {
    expect(cosine(v(0, 0), v(1, 2))).toBe(0);
    expect(() => cosine(v(1), v(1, 2))).toThrow(/length 1 and 2/);
  });
});

describe('rank1', () => {
  const gallery = [
    { identity: 'a', embedding: v(1, 0, 0) },
    { identity: 'b', embedding: v(0, 1, 0) },
    { identity: 'c', embedding: v(0, 0, 1) },
  ];
  it('hits when the own identity scores best and misses otherwise', () => {
    expect(rank1(v(0.9, 0.1, 0), 'a', gallery)).toMatchObject({ identity: 'a', hit: true });
    const miss = rank1(v(0.1, 0.9, 0.2), 'a', gallery);
    expect(miss).toMatchObject({ identity: 'b', hit: false });
    expect(miss.score).toBeCloseTo(0.9 / Math.sqrt(0.86), 6);
  });
  it('breaks ties towards the earlier gallery entry', () => {
    expect(rank1(v(1, 1, 0), 'b', gallery)).toMatchObject({ identity: 'a', hit: false });
  });
  it('refuses a probe whose identity is missing from the gallery', () => {
    expect(() => rank1(v(1, 0, 0), 'z', gallery)).toThrow(/identity z has no photo/);
    expect(() => rank1(v(1, 0, 0), 'a', [])).toThrow(/empty/);
  });
});
