/** The samplers' schedules, each on its own: PC's time grid, Heun's Karras sigmas, DPM-Solver's log-SNR grid. */
import { describe, expect, it } from 'vitest';
import { karrasSigmas, logSnrGrid, pcTimeGrid } from '../../../src/core/sampling/schedules';
import { createSde } from '../../../src/core/sde';

describe('pcTimeGrid', () => {
  it('is linspace(1, eps, N) with the last time exactly eps', () => {
    const g = pcTimeGrid(5, 0.2);
    expect(g[0]).toBe(1);
    expect(g[4]).toBe(0.2);
    for (let i = 0; i < 5; i++) expect(g[i]).toBeCloseTo(1 - i * 0.2, 12);
    expect(Array.from(pcTimeGrid(1, 1e-3))).toEqual([1]);
    expect(() => pcTimeGrid(0, 1e-3)).toThrow(/positive integer/);
  });
});

describe('karrasSigmas', () => {
  it('goes from sigmaMax to sigmaMin in N steps, then 0; rho = 1 is linear in sigma', () => {
    const s = karrasSigmas(4, 0.1, 10, 7);
    expect(s).toHaveLength(5);
    expect(s[0]).toBeCloseTo(10, 12);
    expect(s[3]).toBeCloseTo(0.1, 12);
    expect(s[4]).toBe(0);
    for (let i = 0; i < 4; i++) expect(s[i]!).toBeGreaterThan(s[i + 1]!);
    // Eq. 5 by hand at i = 1: (10^(1/7) + (0.1^(1/7) - 10^(1/7)) / 3)^7.
    expect(s[1]).toBeCloseTo((10 ** (1 / 7) + (0.1 ** (1 / 7) - 10 ** (1 / 7)) / 3) ** 7, 12);
    expect(Array.from(karrasSigmas(3, 1, 5, 1)).map((v) => +v.toFixed(12))).toEqual([5, 3, 1, 0]);
    expect(Array.from(karrasSigmas(1, 1, 5, 7))).toEqual([5, 0]);
    expect(() => karrasSigmas(0, 1, 5, 7)).toThrow(/positive integer/);
  });
});

describe('logSnrGrid', () => {
  it.each(['ve', 'vp', 'subvp'] as const)('%s: from 1 to eps, uniform in lambda = -log sigma(t)', (kind) => {
    const sde = createSde(
      kind === 've' ? { kind, sigmaMin: 0.01, sigmaMax: 50 } : { kind, betaMin: 0.1, betaMax: 20 },
    );
    const eps = 1e-3;
    const { ts, lambdas } = logSnrGrid(sde, 6, eps);
    expect(ts[0]).toBe(1);
    expect(ts[5]).toBe(eps);
    const h = lambdas[1]! - lambdas[0]!;
    expect(h).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) expect(lambdas[i + 1]! - lambdas[i]!).toBeCloseTo(h, 9);
    for (let i = 0; i < 6; i++) {
      expect(-Math.log(sde.sigma(ts[i]!))).toBeCloseTo(lambdas[i]!, 6);
      if (i > 0) expect(ts[i]!).toBeLessThan(ts[i - 1]!);
    }
    expect(() => logSnrGrid(sde, 0, eps)).toThrow(/positive integer/);
  });
});
