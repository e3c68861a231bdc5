import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../src/core/image/types';
import { STREAK_ROWS, gradientRatio, streakRatio } from '../../../src/core/metrics';

const W = 128;
/** A 128x128 image whose grey value at (x, y) is f(x, y), the same in all three channels. */
function made(f: (x: number, y: number) => number): RgbImage {
  const data = new Float32Array(W * W * 3);
  for (let y = 0; y < W; y++)
    for (let x = 0; x < W; x++) data.fill(f(x, y), 3 * (y * W + x), 3 * (y * W + x) + 3);
  return { width: W, height: W, data };
}

/** A smooth "face-like" image with a little deterministic texture in both directions. */
const realish = made((x, y) => {
  const r = Math.hypot(x - 64, y - 60) / 64;
  const tex = 0.03 * Math.sin(x * 1.3 + y * 0.7) + 0.02 * Math.sin(x * 0.4 - y * 1.9);
  return Math.min(1, Math.max(0, 0.7 - 0.4 * r * r + tex));
});

describe('gradientRatio (streak check, issue 27)', () => {
  it('is high for vertical stripes, low for horizontal stripes, 1 for a diagonal pattern', () => {
    // Vertical stripes (edge-replicated padding): columns constant, rows alternate -> almost no vertical energy.
    const vertical = made((x, y) => 0.5 + 0.3 * Math.sin(x * 0.9) + 1e-3 * y);
    const horizontal = made((x, y) => 0.5 + 0.3 * Math.sin(y * 0.9) + 1e-3 * x);
    expect(gradientRatio(vertical)).toBeGreaterThan(1000);
    expect(gradientRatio(horizontal)).toBeLessThan(1e-3);
    // A checkerboard of period 2 has equal energy across and down: ratio (W-1)/W * rows/(rows-1) exactly.
    const checker = made((x, y) => ((x + y) % 2 ? 1 : 0));
    expect(gradientRatio(checker)).toBeCloseTo(((W - 1) * STREAK_ROWS) / (W * (STREAK_ROWS - 1)), 12);
  });

  it('follows the definition: grey = channel mean, top 27 rows only, denominator clamped', () => {
    // Channels that cancel in the mean give a flat grey image: 0 / clamp(0) = 0.
    const data = new Float32Array(W * W * 3);
    for (let i = 0; i < W * W; i++) data.set([(i % 2) * 0.9, 0.45, 0.9 - (i % 2) * 0.9], 3 * i);
    expect(gradientRatio({ width: W, height: W, data })).toBe(0);
    // Only rows 0..26 count: a pattern below them does not change the ratio.
    const top = made((x, y) => (y < STREAK_ROWS ? realish.data[3 * (y * W + x)]! : 0.5));
    const bottom = made((x, y) => (y < STREAK_ROWS ? realish.data[3 * (y * W + x)]! : (x % 2) * 0.8));
    expect(gradientRatio(bottom)).toBe(gradientRatio(top));
    // Hand computation on a 3x2 image with rows = 2: gx = (0.2^2 + 0.3^2) + (0.1^2 + 0.1^2), gy = 0.4^2 + 0.1^2 + 0.
    const g = [0.1, 0.3, 0.6, 0.5, 0.4, 0.5];
    const tiny = { width: 3, height: 2, data: Float32Array.from(g.flatMap((v) => [v, v, v])) };
    const gx = 0.2 ** 2 + 0.3 ** 2 + 0.1 ** 2 + 0.1 ** 2;
    const gy = 0.4 ** 2 + 0.1 ** 2 + 0.1 ** 2;
    expect(gradientRatio(tiny, 2)).toBeCloseTo(gx / gy, 6);
    expect(() => gradientRatio(tiny, 3)).toThrow(/rows/);
  });

  it('streakRatio is 1 for an image against itself, > 1 with painted streaks, < 1 with horizontal ones', () => {
    expect(streakRatio([realish], [realish])).toBe(1);
    const streaked = made((x, y) =>
      y < STREAK_ROWS ? 0.5 + 0.2 * Math.sin(x * 0.9) : realish.data[3 * (y * W + x)]!,
    );
    expect(streakRatio([streaked, realish], [realish, realish])).toBeGreaterThan(10);
    const banded = made((x, y) =>
      y < STREAK_ROWS ? 0.5 + 0.2 * Math.sin(y * 0.9) : realish.data[3 * (y * W + x)]!,
    );
    expect(streakRatio([banded], [realish])).toBeLessThan(0.1);
    expect(() => streakRatio([], [realish])).toThrow(/no images/);
  });

  const sample = join(import.meta.dirname, '../../../samples/faces/celebahq-00.png');
  it.skipIf(!existsSync(sample))('a real face against itself is 1, and its ratio is of order 1', async () => {
    const { decodeToRgb } = await import('../../../src/main/imaging/decode');
    const face = await decodeToRgb(readFileSync(sample));
    expect(streakRatio([face], [face])).toBe(1);
    const r = gradientRatio(face);
    expect(r).toBeGreaterThan(0.2);
    expect(r).toBeLessThan(5);
  });
});
