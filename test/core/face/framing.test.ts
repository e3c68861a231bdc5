import { describe, expect, it } from 'vitest';
import { frameCrop, framingError } from '../../../src/core/face/framing';
import { warpAffine } from '../../../src/core/face/warp';
import type { RgbImage } from '../../../src/core/image/types';

function flat(n: number, rgb: readonly number[]): RgbImage {
  const data = new Float32Array(n * n * 3);
  for (let i = 0; i < data.length; i++) data[i] = rgb[i % 3]!;
  return { width: n, height: n, data };
}

function pixel(img: RgbImage, x: number, y: number): number[] {
  const o = (y * img.width + x) * 3;
  return [img.data[o]!, img.data[o + 1]!, img.data[o + 2]!];
}

describe('frameCrop', () => {
  it('without a framing (or fill 1) is the plain resize the embedders used before', () => {
    const crop = flat(128, [0.2, 0.5, 0.7]);
    crop.data[1000] = 0.9;
    const plain = warpAffine(crop, [150 / 128, 0, 0, 0, 150 / 128, 0], 150, 150);
    expect(frameCrop(crop, 150).data).toEqual(plain.data);
    expect(frameCrop(crop, 150, { fill: 1, pad: [0, 0, 0] }).data).toEqual(plain.data);
    expect(frameCrop(crop, 128)).toBe(crop);
  });

  it('places the crop at `fill` of the side, centred, with the pad colour around it', () => {
    const face = [0.8, 0.6, 0.4];
    const pad = [0.1, 0.2, 0.3] as const;
    const out = frameCrop(flat(128, face), 150, { fill: 0.6, pad });
    expect(out.width).toBe(150);
    // The crop spans [30, 120) px: its inside is the face colour, the corners and edges the pad colour.
    for (const [x, y] of [
      [75, 75],
      [35, 35],
      [114, 114],
    ] as const)
      pixel(out, x, y).forEach((v, c) => expect(v).toBeCloseTo(face[c]!, 4));
    for (const [x, y] of [
      [0, 0],
      [149, 149],
      [25, 75],
      [75, 124],
    ] as const)
      pixel(out, x, y).forEach((v, c) => expect(v).toBeCloseTo(pad[c]!, 4));
  });

  it('a crop of the pad colour gives a flat input: no black seeps in from beyond the canvas', () => {
    const rgb = [0.48, 0.46, 0.41] as const;
    const out = frameCrop(flat(128, rgb), 150, { fill: 0.75, pad: rgb });
    let worst = 0;
    for (let i = 0; i < out.data.length; i++) worst = Math.max(worst, Math.abs(out.data[i]! - rgb[i % 3]!));
    expect(worst).toBeLessThan(1e-5);
  });

  it("above fill 1 zooms in: the crop's centre fills the input and no pad shows", () => {
    const crop = flat(128, [0.2, 0.2, 0.2]);
    for (let y = 0; y < 128; y++)
      for (let x = 64; x < 128; x++) crop.data.fill(0.8, (y * 128 + x) * 3, (y * 128 + x) * 3 + 3);
    const out = frameCrop(crop, 150, { fill: 2, pad: [0, 0, 0] });
    // Output x spans source x 32..96: left of centre is the left half, right of it the right half.
    expect(pixel(out, 10, 75)[0]).toBeCloseTo(0.2, 4);
    expect(pixel(out, 140, 75)[0]).toBeCloseTo(0.8, 4);
    expect(pixel(out, 0, 0)[0]).toBeCloseTo(0.2, 4);
    expect(pixel(out, 149, 149)[0]).toBeCloseTo(0.8, 4);
  });
});

describe('framingError', () => {
  it('names a fill outside (0, 2] and a malformed pad', () => {
    expect(framingError({ fill: 0.8, pad: [0.5, 0.5, 0.5] })).toBeNull();
    expect(framingError({ fill: 0, pad: [0.5, 0.5, 0.5] })).toMatch(/fill/);
    expect(framingError({ fill: 2.5, pad: [0.5, 0.5, 0.5] })).toMatch(/fill/);
    expect(framingError({ fill: 0.8, pad: [0.5, 2, 0.5] })).toMatch(/pad/);
    expect(framingError({ fill: 0.8, pad: [0.5, 0.5] as unknown as [number, number, number] })).toMatch(
      /pad/,
    );
  });
});
