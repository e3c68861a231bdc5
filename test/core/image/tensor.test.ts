import { describe, expect, it } from 'vitest';
import { fromChw, toChw } from '../../../src/core/image/tensor';
import type { RgbImage } from '../../../src/core/image/types';

describe('tensor conversions', () => {
  const a: RgbImage = { width: 2, height: 1, data: Float32Array.from([0, 0.25, 0.5, 0.75, 1, 0.125]) };
  const b: RgbImage = { width: 2, height: 1, data: Float32Array.from([1, 1, 1, 0, 0, 0]) };

  it('stacks HWC images into NCHW mapping [0,1] onto the range', () => {
    const t = toChw([a, b], [-1, 1]);
    expect(t.shape).toEqual([2, 3, 1, 2]);
    // item 0: R plane (0, 0.75), G plane (0.25, 1), B plane (0.5, 0.125) mapped by 2v - 1.
    expect(Array.from(t.data.subarray(0, 6))).toEqual([-1, 0.5, -0.5, 1, 0, -0.75]);
    expect(Array.from(t.data.subarray(6, 12))).toEqual([1, -1, 1, -1, 1, -1]);
  });

  it('round-trips and clamps on the way back', () => {
    const t = toChw([a, b], [-1, 1]);
    expect(fromChw(t, 0, [-1, 1]).data).toEqual(a.data);
    expect(fromChw(t, 1, [-1, 1]).data).toEqual(b.data);
    t.data[0] = 3;
    t.data[1] = -2;
    const back = fromChw(t, 0, [-1, 1]);
    expect(back.data[0]).toBe(1);
    expect(back.data[3]).toBe(0);
    expect(fromChw(toChw([a], [0, 1]), 0, [0, 1]).data).toEqual(a.data);
  });

  it('rejects mismatched sizes, bad shapes and indices', () => {
    expect(() => toChw([a, { width: 1, height: 2, data: new Float32Array(6) }], [0, 1])).toThrow(
      /expected 2x1/,
    );
    expect(() => toChw([], [0, 1])).toThrow(/no images/);
    expect(() => fromChw({ data: new Float32Array(6), shape: [1, 6] }, 0, [0, 1])).toThrow(/shape/);
    expect(() => fromChw(toChw([a], [0, 1]), 1, [0, 1])).toThrow(/outside/);
  });
});
