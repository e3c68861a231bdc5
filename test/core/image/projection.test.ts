import { describe, expect, it } from 'vitest';
import { downscaleX8, formLr } from '../../../src/core/image/lr';
import { createLrProjection } from '../../../src/core/image/projection';
import { fromChw, toChw } from '../../../src/core/image/tensor';
import type { RgbImage } from '../../../src/core/image/types';
import { createNoiseStream } from '../../../src/core/sampling/noise';

function noiseImage(seed: bigint, size: number): RgbImage {
  const z = createNoiseStream(seed, 0).next(size * size * 3);
  return { width: size, height: size, data: z.map((v) => 0.5 + 0.2 * v) };
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('LR projection', () => {
  for (const size of [16, 128]) {
    it(`${size}x${size}: the projected image downscales to the LR exactly, and projecting twice changes nothing`, () => {
      const lrs = [formLr(noiseImage(1n, size)), formLr(noiseImage(2n, size))];
      const project = createLrProjection(lrs);
      const x = toChw([noiseImage(3n, size), noiseImage(4n, size)], [0, 1]);
      const once = project(x);
      for (const b of [0, 1]) {
        const img = { width: size, height: size, data: Float32Array.from(fromChwUnclamped(once, b)) };
        expect(maxDiff(downscaleX8(img).data, lrs[b]!.data)).toBeLessThan(2e-6);
      }
      expect(maxDiff(project(once).data, once.data)).toBeLessThan(2e-6);
      // It moves the image (x was not consistent) but only by the low-frequency correction.
      expect(maxDiff(once.data, x.data)).toBeGreaterThan(0.01);
    });
  }

  it('is the least change: the correction is orthogonal to every change that keeps the downscale', () => {
    const lr = formLr(noiseImage(1n, 16));
    const project = createLrProjection([lr]);
    const x = toChw([noiseImage(3n, 16)], [0, 1]);
    const p = project(x);
    // v = u - P(u) + P(0)-style: a direction in the null space of D is u - Pinv D u = (P(u) with LR 0) ... use
    // projection with a zero LR: n = u - Proj_0(u) lies in the row space; null-space vectors are Proj_0(u).
    const zero = createLrProjection([{ width: 2, height: 2, data: new Float32Array(12) }]);
    const u = toChw([noiseImage(9n, 16)], [0, 1]);
    const nullVec = zero(u).data; // D(nullVec) = 0
    let dot = 0;
    for (let i = 0; i < nullVec.length; i++) dot += (p.data[i]! - x.data[i]!) * nullVec[i]!;
    expect(Math.abs(dot)).toBeLessThan(1e-4);
    expect(fromChw(p, 0, [0, 1]).width).toBe(16);
  });

  it('rejects shapes that do not match its LR images', () => {
    const project = createLrProjection([formLr(noiseImage(1n, 16))]);
    expect(() => project(toChw([noiseImage(3n, 16), noiseImage(3n, 16)], [0, 1]))).toThrow(
      /expected \[1,3,16,16\]/,
    );
    expect(() => createLrProjection([])).toThrow(/no LR/);
  });
});

/** HWC values of batch item b without clamping (fromChw clamps to [0,1]). */
function fromChwUnclamped(t: { data: Float32Array; shape: readonly number[] }, b: number): number[] {
  const [, , h, w] = t.shape as [number, number, number, number];
  const out: number[] = [];
  for (let p = 0; p < h * w; p++) for (let c = 0; c < 3; c++) out.push(t.data[(b * 3 + c) * h * w + p]!);
  return out;
}
