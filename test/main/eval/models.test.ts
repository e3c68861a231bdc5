import { describe, expect, it } from 'vitest';
import { analyticGaussianModel, perturbation } from '../../../src/main/eval/analytic-model';
import { pixelEmbed } from '../../../src/main/eval/embedders';
import { fromRgb8 } from '../../../src/main/imaging/decode';
import { rgb8Sha256, toRgb8 } from '../../../src/main/imaging/encode';

const img = (w: number, f: (i: number) => number) => ({
  width: w,
  height: w,
  data: Float32Array.from({ length: w * w * 3 }, (_, i) => f(i)),
});

describe('analytic Gaussian model', () => {
  it('gives the exact score of N(m mu, (m^2 tau^2 + v) I) for VE and VP', async () => {
    const ve = analyticGaussianModel({ kind: 've', sigmaMin: 0.01, sigmaMax: 348 }, 0.1);
    const x = { data: Float32Array.from([0.5, 1.5]), shape: [2, 1] };
    const y = { data: Float32Array.from([0.25, 0.5]), shape: [2, 1] };
    const s = await ve.score(x, y, Float32Array.from([0, 1]));
    // t=0: sigma = 0.01 -> var = 0.01 + 1e-4; t=1: sigma = 348 -> var = 0.01 + 348^2.
    expect(s[0]).toBeCloseTo(-(0.5 - 0.25) / (0.01 + 1e-4), 4);
    expect(s[1]).toBeCloseTo(-(1.5 - 0.5) / (0.01 + 348 * 348), 10);
    const vp = analyticGaussianModel({ kind: 'vp', betaMin: 0.1, betaMax: 20 }, 0.1);
    const { m, v } = perturbation({ kind: 'vp', betaMin: 0.1, betaMax: 20 }, 0.5);
    expect(v).toBeCloseTo(1 - m * m, 12);
    const sv = await vp.score(
      { data: Float32Array.from([0.3]), shape: [1, 1] },
      { data: Float32Array.from([0.75]), shape: [1, 1] },
      Float32Array.from([0.5]),
    );
    expect(sv[0]).toBeCloseTo(-(0.3 - m * 0.5) / (m * m * 0.01 + v), 5); // y=0.75 -> mu = 2*0.75-1 = 0.5
    expect(vp.info.dataRange).toBe('-1,1');
    expect(ve.info.trainedOnFaces).toBe(false);
    expect(ve.info.sha256).not.toBe(
      analyticGaussianModel({ kind: 've', sigmaMin: 0.01, sigmaMax: 348 }, 0.2).info.sha256,
    );
    expect(() => analyticGaussianModel({ kind: 've', sigmaMin: 0.01, sigmaMax: 348 }, 0)).toThrow(/tau > 0/);
  });
});

describe('pixel embedder', () => {
  it('is mean-free, 256-D, and invariant to brightness offsets', () => {
    const a = img(128, (i) => ((i * 7919) % 256) / 255);
    const e = pixelEmbed(a);
    expect(e).toHaveLength(256);
    expect(Math.abs(e.reduce((s, v) => s + v, 0))).toBeLessThan(1e-4);
    const brighter = { ...a, data: a.data.map((v) => v + 0.1) };
    const e2 = pixelEmbed(brighter);
    expect(Math.max(...e.map((v, i) => Math.abs(v - e2[i]!)))).toBeLessThan(1e-5);
  });
});

describe('image helpers', () => {
  it('round-trips 8-bit bytes and hashes them clamped and rounded', () => {
    const bytes = Uint8Array.from({ length: 4 * 4 * 3 }, (_, i) => (i * 37) % 256);
    const img = fromRgb8(bytes, 4, 4);
    expect(Array.from(toRgb8(img))).toEqual(Array.from(bytes));
    const off = { ...img, data: img.data.map((v) => v + 0.4 / 255) };
    expect(rgb8Sha256(off)).toBe(rgb8Sha256(img));
    expect(Array.from(toRgb8({ width: 1, height: 1, data: Float32Array.from([-0.2, 0.5, 1.7]) }))).toEqual([
      0, 128, 255,
    ]);
    expect(() => fromRgb8(bytes, 5, 4)).toThrow(/Expected 60 RGB bytes/);
  });
});
