import { describe, expect, it } from 'vitest';
import { cropResize } from '../../../src/core/eval/crop';

const ramp = (w: number, h: number) => ({
  width: w,
  height: h,
  data: Float32Array.from({ length: w * h * 3 }, (_, i) => {
    const p = Math.floor(i / 3);
    return (p % w) / w + 0.001 * Math.floor(p / w);
  }),
});

describe('cropResize', () => {
  it('is the identity for the whole image at its own size', () => {
    const img = ramp(12, 12);
    const out = cropResize(img, [0, 0, 12, 12], 12);
    out.data.forEach((v, i) => expect(v).toBeCloseTo(img.data[i]!, 6));
  });
  it('reproduces a linear ramp inside the image (the kernel is interpolating and normalised)', () => {
    const img = ramp(40, 40);
    const out = cropResize(img, [10.5, 8.25, 30.5, 28.25], 16);
    // Output pixel i samples the source at c = left + (i + 0.5) * 20/16, where the ramp is (c - 0.5) / 40; the
    // stretched discrete kernel keeps that to within a few thousandths of a pixel.
    for (const i of [3, 8, 12]) {
      const cx = 10.5 + (i + 0.5) * (20 / 16);
      const cy = 8.25 + (i + 0.5) * (20 / 16);
      expect(out.data[(i * 16 + i) * 3]!).toBeCloseTo((cx - 0.5) / 40 + 0.001 * (cy - 0.5), 3);
    }
  });
  it('refuses an empty box or one outside the image', () => {
    expect(() => cropResize(ramp(8, 8), [4, 4, 4, 8], 4)).toThrow(/empty box/);
    expect(() => cropResize(ramp(8, 8), [20, 20, 30, 30], 4)).toThrow(/no source pixels/);
  });
});
