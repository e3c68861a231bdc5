import { describe, expect, it } from 'vitest';
import { createSde, dataRange, defaultEps, defaultSde, gridIndex, timeGrid } from '../../../src/core/sde';
import type { Sde } from '../../../src/core/sde';

/**
 * Integrate the moment ODEs of the forward SDE dx = f(t) x dt + g(t) dw from 0 to t (RK4):
 * d m / dt = f m (mean coefficient) and d v / dt = 2 f v + g^2 (variance given x_0). Independent of the closed forms.
 */
function integrateMoments(sde: Sde, t: number, v0: number): { m: number; v: number } {
  const steps = 4000;
  const h = t / steps;
  let m = 1;
  let v = v0;
  const dm = (s: number, mm: number): number => sde.driftCoef(s) * mm;
  const dv = (s: number, vv: number): number => 2 * sde.driftCoef(s) * vv + sde.diffusion(s) ** 2;
  for (let i = 0; i < steps; i++) {
    const s = i * h;
    const m1 = dm(s, m);
    const m2 = dm(s + h / 2, m + (h / 2) * m1);
    const m3 = dm(s + h / 2, m + (h / 2) * m2);
    const m4 = dm(s + h, m + h * m3);
    const v1 = dv(s, v);
    const v2 = dv(s + h / 2, v + (h / 2) * v1);
    const v3 = dv(s + h / 2, v + (h / 2) * v2);
    const v4 = dv(s + h, v + h * v3);
    m += (h / 6) * (m1 + 2 * m2 + 2 * m3 + m4);
    v += (h / 6) * (v1 + 2 * v2 + 2 * v3 + v4);
  }
  return { m, v };
}

describe('SDEs', () => {
  it('has the paper defaults and data ranges', () => {
    expect(defaultSde('ve')).toEqual({ kind: 've', sigmaMin: 0.01, sigmaMax: 348 });
    expect(defaultSde('vp')).toEqual({ kind: 'vp', betaMin: 0.1, betaMax: 20 });
    expect(defaultSde('subvp')).toEqual({ kind: 'subvp', betaMin: 0.1, betaMax: 20 });
    expect(dataRange('ve')).toEqual([0, 1]);
    expect(dataRange('vp')).toEqual([-1, 1]);
    expect(dataRange('subvp')).toEqual([-1, 1]);
    expect(defaultEps('ve')).toBe(1e-5);
    expect(defaultEps('subvp')).toBe(1e-3);
  });

  it('matches DESIGN.md table closed forms', () => {
    const ve = createSde(defaultSde('ve'));
    expect(ve.std(0.3)).toBeCloseTo(0.01 * 34800 ** 0.3, 12);
    expect(ve.diffusion(0.3)).toBeCloseTo(0.01 * 34800 ** 0.3 * Math.sqrt(2 * Math.log(34800)), 10);
    expect(ve.priorStd).toBe(348);
    const vp = createSde(defaultSde('vp'));
    const m = Math.exp(-0.25 * 0.49 * 19.9 - 0.5 * 0.7 * 0.1);
    expect(vp.meanCoef(0.7)).toBeCloseTo(m, 14);
    expect(vp.std(0.7)).toBeCloseTo(Math.sqrt(1 - m * m), 14);
    expect(vp.diffusion(0.7)).toBeCloseTo(Math.sqrt(0.1 + 0.7 * 19.9), 14);
    expect(vp.driftCoef(0.7)).toBeCloseTo(-0.5 * (0.1 + 0.7 * 19.9), 14);
    const sub = createSde(defaultSde('subvp'));
    expect(sub.std(0.7)).toBeCloseTo(1 - m * m, 14);
    expect(sub.diffusion(0.7)).toBeCloseTo(Math.sqrt((0.1 + 0.7 * 19.9) * (1 - m ** 4)), 14);
  });

  for (const kind of ['ve', 'vp', 'subvp'] as const) {
    it(`${kind}: marginal mean and std solve the moment ODEs of its drift and diffusion`, () => {
      const sde = createSde(defaultSde(kind));
      // VE's std(0) is sigma_min (score_sde convention); its variance grows from there.
      const v0 = kind === 've' ? sde.std(0) ** 2 : 0;
      for (const t of [0.05, 0.3, 0.8, 1]) {
        const { m, v } = integrateMoments(sde, t, v0);
        expect(sde.meanCoef(t)).toBeCloseTo(m, 9);
        expect(sde.std(t) ** 2 / v).toBeCloseTo(1, 7);
      }
    });

    it(`${kind}: sigmaInv inverts sigma = std / m`, () => {
      const sde = createSde(defaultSde(kind));
      for (const t of [1e-5, 1e-3, 0.01, 0.2, 0.5, 0.9, 1]) {
        expect(sde.sigma(t)).toBeCloseTo(sde.std(t) / sde.meanCoef(t), 12);
        expect(sde.sigmaInv(sde.sigma(t))).toBeCloseTo(t, 9);
      }
    });
  }

  it('discretises reverse diffusion as score_sde: VE sigma_k ladder, VP beta_k ladder, subVP Euler', () => {
    const n = 10;
    const ve = createSde(defaultSde('ve'));
    const sig = (k: number): number => Math.exp(Math.log(0.01) + (k / 9) * (Math.log(348) - Math.log(0.01)));
    // t = 0.5 -> k = floor(4.5) = 4.
    expect(ve.discretize(0.5, n).g).toBeCloseTo(Math.sqrt(sig(4) ** 2 - sig(3) ** 2), 10);
    expect(ve.discretize(0, n).g).toBeCloseTo(0.01, 12); // k = 0: sigma_{-1} = 0
    expect(ve.discretize(1, n).g).toBeCloseTo(Math.sqrt(348 ** 2 - sig(8) ** 2), 9);
    const vp = createSde(defaultSde('vp'));
    const beta = (k: number): number => 0.1 / n + (k * (20 / n - 0.1 / n)) / (n - 1);
    expect(vp.discretize(0.5, n).f).toBeCloseTo(Math.sqrt(1 - beta(4)) - 1, 14);
    expect(vp.discretize(0.5, n).g).toBeCloseTo(Math.sqrt(beta(4)), 14);
    expect(vp.langevinAlpha(1, n)).toBeCloseTo(1 - 2, 14);
    expect(vp.langevinAlpha(0.5, n)).toBeCloseTo(1 - beta(4), 14);
    const sub = createSde(defaultSde('subvp'));
    expect(sub.discretize(0.5, n).f).toBeCloseTo(sub.driftCoef(0.5) / n, 14);
    expect(sub.discretize(0.5, n).g).toBeCloseTo(sub.diffusion(0.5) / Math.sqrt(n), 14);
  });

  it('builds the time grid linspace(1, eps, N) and score_sde grid indices', () => {
    const g = timeGrid(5, 1e-3);
    expect(Array.from(g)).toEqual(
      [1, 1 - 0.999 / 4, 1 - 0.999 / 2, 1 - (3 * 0.999) / 4, 1e-3].map((v, i) =>
        i === 0 || i === 4 ? v : expect.closeTo(v, 14),
      ),
    );
    expect(Array.from(timeGrid(1, 1e-3))).toEqual([1]);
    expect(gridIndex(1, 2000)).toBe(1999);
    expect(gridIndex(1e-5, 2000)).toBe(0);
    expect(() => timeGrid(0, 1e-3)).toThrow(/positive integer/);
  });

  it('rejects bad parameters', () => {
    expect(() => createSde({ kind: 've', sigmaMin: 1, sigmaMax: 0.5 })).toThrow(/sigmaMin/);
    expect(() => createSde({ kind: 'vp', betaMin: 0, betaMax: 20 })).toThrow(/betaMin/);
  });
});
