import { describe, expect, it } from 'vitest';
import {
  applyAffine,
  composeAffine,
  estimateSimilarity,
  invertAffine,
  rmsResidual,
  type Affine,
} from '../../../src/core/face/affine';
import { C1_TEMPLATE } from '../../../src/core/face/template';

function similarity(scale: number, angle: number, tx: number, ty: number): Affine {
  const a = scale * Math.cos(angle);
  const b = scale * Math.sin(angle);
  return [a, -b, tx, b, a, ty];
}

describe('estimateSimilarity (Umeyama, 2-D closed form)', () => {
  it('recovers a known similarity exactly from five points', () => {
    const truth = similarity(0.37, 0.4, 12.5, -3.25);
    const src = C1_TEMPLATE.map((p) => ({ x: p.x * 3 + 40, y: p.y * 2.5 + 7 }));
    const dst = src.map((p) => applyAffine(truth, p));
    const est = estimateSimilarity(src, dst);
    est.forEach((v, i) => expect(v).toBeCloseTo(truth[i]!, 10));
    expect(rmsResidual(est, src, dst)).toBeLessThan(1e-9);
  });

  it('is exact for two points and least-squares (zero-mean residual) for noisy ones', () => {
    const two = estimateSimilarity(
      [
        { x: 10, y: 10 },
        { x: 30, y: 10 },
      ],
      [
        { x: 0, y: 0 },
        { x: 0, y: 40 },
      ],
    );
    expect(applyAffine(two, { x: 30, y: 10 }).y).toBeCloseTo(40, 12);
    expect(two[0]).toBeCloseTo(0, 12); // 90° rotation, scale 2
    expect(two[3]).toBeCloseTo(2, 12);
    const src = C1_TEMPLATE;
    const dst = src.map((p, i) => ({ x: p.x + (i % 2 ? 1 : -1), y: p.y + (i === 2 ? 2 : -0.5) }));
    const m = estimateSimilarity(src, dst);
    // Perturbing the fit must not lower the squared error (it is the least-squares optimum).
    const base = rmsResidual(m, src, dst);
    for (const k of [0, 1, 2, 5]) {
      const p = [...m] as number[];
      p[k]! += 1e-3;
      if (k === 0) p[4]! += 1e-3;
      if (k === 1) p[3]! -= 1e-3;
      expect(rmsResidual(p as unknown as Affine, src, dst)).toBeGreaterThan(base);
    }
  });

  it('rejects degenerate input', () => {
    expect(() => estimateSimilarity([{ x: 1, y: 1 }], [{ x: 0, y: 0 }])).toThrow(/two points/);
    const same = [
      { x: 2, y: 2 },
      { x: 2, y: 2 },
    ];
    expect(() => estimateSimilarity(same, C1_TEMPLATE.slice(0, 2))).toThrow(/coincide/);
  });
});

describe('affine helpers', () => {
  it('inverse composes to identity', () => {
    const m: Affine = [1.3, 0.2, 5, -0.4, 0.9, -2];
    const id = composeAffine(invertAffine(m), m);
    [1, 0, 0, 0, 1, 0].forEach((v, i) => expect(id[i]).toBeCloseTo(v, 12));
    expect(() => invertAffine([1, 2, 0, 2, 4, 0])).toThrow(/singular/);
  });
});
