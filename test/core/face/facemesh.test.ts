import { describe, expect, it } from 'vitest';
import { applyAffine } from '../../../src/core/face/affine';
import {
  fivePointsFromMesh,
  LEFT_EYE_RING,
  meshToImage,
  MESH_POINTS,
  MOUTH_CORNERS,
  NOSE_TIP,
  RIGHT_EYE_RING,
  roiFromEyes,
  roiToCropTransform,
} from '../../../src/core/face/facemesh';

describe('FaceMesh region of interest', () => {
  it('puts the ROI centre at the crop centre and levels the eye line', () => {
    const re = { x: 100, y: 120 };
    const le = { x: 140, y: 150 }; // eye line tilted by atan2(30, 40)
    const roi = roiFromEyes({ x: 120, y: 160 }, 100, re, le);
    expect(roi.size).toBe(150);
    const m = roiToCropTransform(roi);
    const c = applyAffine(m, { x: 120, y: 160 });
    expect(c.x).toBeCloseTo(96, 9);
    expect(c.y).toBeCloseTo(96, 9);
    const a = applyAffine(m, re);
    const b = applyAffine(m, le);
    expect(b.y - a.y).toBeCloseTo(0, 9);
    expect(b.x - a.x).toBeCloseTo((50 * 192) / 150, 9); // eye distance 50 px scaled by 192/150
  });

  it('maps crop-space mesh back to the image and averages the eye rings', () => {
    const roi = roiFromEyes({ x: 50, y: 60 }, 64, { x: 40, y: 55 }, { x: 60, y: 55 });
    const m = roiToCropTransform(roi);
    const mesh = new Float32Array(MESH_POINTS * 3);
    for (let i = 0; i < MESH_POINTS; i++) {
      const inImage = { x: i % 37, y: Math.floor(i / 37) };
      const q = applyAffine(m, inImage);
      mesh.set([q.x, q.y, 0], 3 * i);
    }
    const pts = meshToImage(mesh, m);
    expect(pts[100]!.x).toBeCloseTo(100 % 37, 9);
    expect(pts[100]!.y).toBeCloseTo(Math.floor(100 / 37), 9);
    const five = fivePointsFromMesh(pts);
    const meanX = (idx: number[]) => idx.reduce((s, i) => s + (i % 37), 0) / idx.length;
    expect(five[0]!.x).toBeCloseTo(meanX(RIGHT_EYE_RING), 9);
    expect(five[1]!.x).toBeCloseTo(meanX(LEFT_EYE_RING), 9);
    expect(five[2]!.x).toBeCloseTo(NOSE_TIP % 37, 9);
    expect(five[3]!.x).toBeCloseTo(MOUTH_CORNERS[0] % 37, 9);
    expect(() => meshToImage(mesh.subarray(3), m)).toThrow(/1404/);
  });
});
