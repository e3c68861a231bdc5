import { describe, expect, it } from 'vitest';
import { mcnemarExact, rocAuc, tarAtFar, thresholdAtFar } from '../../tools/face-eval/metrics';

describe('verification metrics', () => {
  it('AUC counts ties as half', () => {
    expect(rocAuc([0.9, 0.5], [0.5, 0.1])).toBeCloseTo((1 + 1 + 0.5 + 1) / 4, 12);
  });

  it('TAR at FAR uses the threshold at most `far` of the impostors exceed', () => {
    const impostor = Array.from({ length: 100 }, (_, i) => i / 100); // 0.00 .. 0.99
    expect(thresholdAtFar(impostor, 0.01)).toBe(0.98); // only 0.99 is above it
    expect(tarAtFar([0.985, 0.97, 0.5, 1], impostor, 0.01)).toBe(0.5);
  });

  it('McNemar: the exact two-sided binomial p of the discordant split', () => {
    // 6 pairs only A accepts, 1 only B: p = 2 * (C(7,0) + C(7,1)) / 2^7 = 16 / 128.
    const a = [true, true, true, true, true, true, false, true, false];
    const b = [false, false, false, false, false, false, true, true, false];
    const r = mcnemarExact(a, b);
    expect(r).toMatchObject({ onlyA: 6, onlyB: 1 });
    expect(r.p).toBeCloseTo(16 / 128, 12);
    expect(mcnemarExact([true, false], [true, false]).p).toBe(1);
    expect(() => mcnemarExact([true], [])).toThrow(/1 vs 0/);
  });
});
