import { describe, expect, it } from 'vitest';
import { rank1 } from '../../../src/core/eval/identification';

const v = (...xs: number[]): Float32Array => Float32Array.from(xs);

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
