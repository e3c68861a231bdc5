import { describe, expect, it } from 'vitest';
import { blazefaceAnchors, decodeBlazeface, iou, weightedNms } from '../../../src/core/face/blazeface';

describe('BlazeFace anchors', () => {
  it('has 896 anchors: 16x16x2 at stride 16 then 8x8x6 at stride 32', () => {
    const a = blazefaceAnchors();
    expect(a.length).toBe(896 * 2);
    expect([a[0], a[1], a[2], a[3]]).toEqual([8, 8, 8, 8]);
    expect([a[4], a[5]]).toEqual([24, 8]);
    expect([a[2 * 512], a[2 * 512 + 1]]).toEqual([16, 16]);
    expect([a[2 * 895], a[2 * 895 + 1]]).toEqual([240, 240]);
  });
});

describe('decodeBlazeface', () => {
  it('decodes box and keypoints relative to the anchor and thresholds the sigmoid score', () => {
    const anchors = blazefaceAnchors();
    const logits = new Float32Array(896).fill(-10);
    const regs = new Float32Array(896 * 16);
    const i = 2 * (3 * 16 + 5); // grid (5, 3), first anchor: centre (88, 56)
    logits[i] = 2;
    regs.set([4, -2, 40, 50, -10, -8, 10, -8, 0, 5, 0, 15, -20, 0, 20, 0], i * 16);
    const dets = decodeBlazeface(logits, regs, anchors, 0.5);
    expect(dets).toHaveLength(1);
    const d = dets[0]!;
    expect(d.score).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
    expect(d.box).toEqual({ x: 92 - 20, y: 54 - 25, width: 40, height: 50 });
    expect(d.keypoints[0]).toEqual({ x: 78, y: 48 });
    expect(d.keypoints[3]).toEqual({ x: 88, y: 71 });
    expect(decodeBlazeface(logits, regs, anchors, 0.9)).toHaveLength(0);
    expect(() => decodeBlazeface(logits.subarray(1), regs, anchors, 0.5)).toThrow(/anchors/);
  });
});

describe('weightedNms', () => {
  const kp = [{ x: 0, y: 0 }];
  it('merges overlapping boxes by score-weighted mean and keeps separate ones', () => {
    const out = weightedNms(
      [
        { box: { x: 0, y: 0, width: 10, height: 10 }, score: 0.9, keypoints: kp },
        { box: { x: 1, y: 0, width: 10, height: 10 }, score: 0.3, keypoints: [{ x: 4, y: 0 }] },
        { box: { x: 50, y: 50, width: 10, height: 10 }, score: 0.8, keypoints: kp },
      ],
      0.3,
    );
    expect(out).toHaveLength(2);
    expect(out[0]!.score).toBe(0.9);
    expect(out[0]!.box.x).toBeCloseTo(0.3 / 1.2, 12);
    expect(out[0]!.keypoints[0]!.x).toBeCloseTo((0.3 * 4) / 1.2, 12);
    expect(out[1]!.box.x).toBe(50);
  });

  it('computes IoU', () => {
    expect(iou({ x: 0, y: 0, width: 2, height: 2 }, { x: 1, y: 0, width: 2, height: 2 })).toBeCloseTo(
      1 / 3,
      12,
    );
    expect(iou({ x: 0, y: 0, width: 1, height: 1 }, { x: 5, y: 5, width: 1, height: 1 })).toBe(0);
  });
});
