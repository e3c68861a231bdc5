import { describe, expect, it } from 'vitest';
import { applyAffine } from '../../../src/core/face/affine';
import { alignFace, canonicalTransform } from '../../../src/core/face/align';
import { C1_TEMPLATE } from '../../../src/core/face/template';
import type { RgbImage } from '../../../src/core/image/types';

const image: RgbImage = { width: 300, height: 200, data: new Float32Array(300 * 200 * 3).fill(0.3) };

describe('alignment to C1', () => {
  it('maps five landmarks of a rotated, scaled face onto the template with zero residual', () => {
    const ang = -0.3;
    const pts = C1_TEMPLATE.map((p) => ({
      x: 150 + 1.7 * (Math.cos(ang) * (p.x - 64) - Math.sin(ang) * (p.y - 64)),
      y: 100 + 1.7 * (Math.sin(ang) * (p.x - 64) + Math.cos(ang) * (p.y - 64)),
    }));
    const a = alignFace(image, pts);
    expect(a.crop.width).toBe(128);
    expect(a.residualPx).toBeLessThan(1e-9);
    const q = applyAffine(a.transform, pts[2]!);
    expect(q.x).toBeCloseTo(C1_TEMPLATE[2]!.x, 9);
    expect(a.crop.data[(64 * 128 + 64) * 3]).toBeCloseTo(0.3, 6);
  });

  it('manual two-point alignment puts the eyes exactly on the template eyes', () => {
    const m = canonicalTransform([
      { x: 10, y: 20 },
      { x: 14, y: 21 },
    ]);
    const r = applyAffine(m, { x: 14, y: 21 });
    expect(r.x).toBeCloseTo(C1_TEMPLATE[1]!.x, 9);
    expect(r.y).toBeCloseTo(C1_TEMPLATE[1]!.y, 9);
  });

  it('rejects other point counts and non-finite points', () => {
    expect(() => canonicalTransform(C1_TEMPLATE.slice(0, 3))).toThrow(/2 \(eye centres\) or 5/);
    expect(() =>
      canonicalTransform([
        { x: Number.NaN, y: 0 },
        { x: 1, y: 1 },
      ]),
    ).toThrow(/finite/);
  });
});
