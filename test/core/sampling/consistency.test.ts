/** Optional LR data consistency through `req.project`, for every sampler kind. */
import { describe, expect, it } from 'vitest';
import { consistency, formLr } from '../../../src/core/image/lr';
import { createLrProjection } from '../../../src/core/image/projection';
import type { RgbImage } from '../../../src/core/image/types';
import { resolvePreset, sample } from '../../../src/core/sampling';
import type { SamplerConfig, SdeConfig, Tensor } from '../../../src/core/sampling/api';
import { createNoiseStream } from '../../../src/core/sampling/noise';
import { dataRange, defaultSde } from '../../../src/core/sde';
import { mixtureScore, request, streams } from './helpers';

/** Batch item b of an NCHW tensor as an HWC image mapped to [0,1] without clamping. */
function unclamped(t: Tensor, b: number, lo: number, hi: number): RgbImage {
  const [, , h, w] = t.shape as [number, number, number, number];
  const data = new Float32Array(h * w * 3);
  for (let p = 0; p < h * w; p++) {
    for (let c = 0; c < 3; c++) data[p * 3 + c] = (t.data[(b * 3 + c) * h * w + p]! - lo) / (hi - lo);
  }
  return { width: w, height: h, data };
}

const runs: ReadonlyArray<{ name: string; sde: SdeConfig; sampler: SamplerConfig }> = [
  {
    name: 'sde-ve',
    sde: defaultSde('ve'),
    sampler: resolvePreset('sde-ve', defaultSde('ve'), { steps: 50 }),
  },
  {
    name: 'sde-vecs',
    sde: defaultSde('ve'),
    sampler: resolvePreset('sde-vecs', defaultSde('ve'), { steps: 50 }),
  },
  {
    name: 'sde-vp',
    sde: defaultSde('vp'),
    sampler: resolvePreset('sde-vp', defaultSde('vp'), { steps: 50 }),
  },
  { name: 'fast subvp', sde: defaultSde('subvp'), sampler: resolvePreset('fast', defaultSde('subvp')) },
  {
    name: 'heun ve',
    sde: defaultSde('ve'),
    sampler: { kind: 'heun', steps: 8, rho: 7, eps: 1e-5, churn: 0 },
  },
];

/** Two 16x16 HR faces' LR (2x2) and the projection onto them. */
function lrs(): RgbImage[] {
  return [1n, 2n].map((seed) => {
    const z = createNoiseStream(seed, 9).next(16 * 16 * 3);
    return formLr({ width: 16, height: 16, data: z.map((v) => 0.5 + 0.15 * v) });
  });
}

describe('sampling with LR data consistency', () => {
  for (const r of runs) {
    it(`${r.name}: every candidate's output downscales to its LR (consistency ~ 0)`, async () => {
      const target = lrs();
      const [lo, hi] = dataRange(r.sde.kind);
      const mu = lo + 0.5 * (hi - lo);
      const s = 0.05 * (hi - lo);
      const score = mixtureScore(r.sde, [{ weight: 1, mu, s }]);
      const out = await sample(
        request(r.sde, r.sampler, score, streams(3n, 2), [3, 16, 16], {
          project: createLrProjection(target),
        }),
      );
      const free = await sample(request(r.sde, r.sampler, score, streams(3n, 2), [3, 16, 16]));
      for (const b of [0, 1]) {
        // Measured without clamping to [0,1] (clamping is not part of the projection).
        const sr = unclamped(out, b, lo, hi);
        const c = consistency(sr, target[b]!);
        expect(c, `candidate ${b}`).toBeLessThan(1e-4);
        expect(consistency(unclamped(free, b, lo, hi), target[b]!)).toBeGreaterThan(10 * Math.max(c, 0.01));
      }
    });
  }
});
