/**
 * The ODE samplers against the exact probability flow of Gaussian data (see flow.ts): every output value is
 * compared with where the true flow takes that candidate's own prior draw. Bounds are on the RMS error relative to
 * the data's s, and the error must shrink at the method's order when the steps double.
 */
import { describe, expect, it } from 'vitest';
import { FAST_ORDER, FAST_SIGMA_END, FAST_STEPS, resolvePreset, sample } from '../../../src/core/sampling';
import type { SamplerConfig } from '../../../src/core/sampling/api';
import { createSde, dataRange, defaultEps, defaultSde } from '../../../src/core/sde';
import { exactFlow, rms } from './flow';
import { gaussianCheck, mixtureScore, request, streams } from './helpers';

const B = 4;
const D = 64;
const SEED = 9n;
const data = { ve: { mu: 0.5, s: 0.2 }, vp: { mu: 0.3, s: 0.4 }, subvp: { mu: 0.3, s: 0.4 } } as const;

async function relError(kind: 've' | 'vp' | 'subvp', sampler: SamplerConfig): Promise<number> {
  const sde = defaultSde(kind);
  const { mu, s } = data[kind];
  const out = await sample(
    request(sde, sampler, mixtureScore(sde, [{ weight: 1, mu, s }]), streams(SEED, B), [D]),
  );
  return rms(out.data, exactFlow(sde, sampler.eps, SEED, B, D, mu, s)) / s;
}

describe('ODE samplers follow the exact probability flow (Gaussian data)', () => {
  for (const kind of ['ve', 'vp', 'subvp'] as const) {
    const eps = defaultEps(kind);
    it(`${kind}: the fast preset's solver (DPM-Solver++ 3M, 25 NFE) run to eps is within 1.5 % of s`, async () => {
      const solver: SamplerConfig = { kind: 'dpm-solver', steps: FAST_STEPS, order: FAST_ORDER, eps };
      expect(await relError(kind, solver)).toBeLessThan(0.015);
    });

    it(`${kind}: the fast preset stops where the noise is ${FAST_SIGMA_END} of the [0,1] range, on the exact flow`, async () => {
      const preset = resolvePreset('fast', defaultSde(kind));
      const [lo, hi] = dataRange(kind);
      expect(createSde(defaultSde(kind)).sigma(preset.eps) / (hi - lo)).toBeCloseTo(FAST_SIGMA_END, 12);
      expect(preset.eps).toBeGreaterThan(eps);
      expect(await relError(kind, preset)).toBeLessThan(0.015);
    });

    it(`${kind}: Heun is 2nd order (error / 3.5 or better when steps double) and within 12 % of s at 35 NFE`, async () => {
      const heun = (steps: number): SamplerConfig => ({ kind: 'heun', steps, rho: 7, eps, churn: 0 });
      const e18 = await relError(kind, heun(18));
      const e24 = await relError(kind, heun(24));
      const e48 = await relError(kind, heun(48));
      expect(e18).toBeLessThan(0.12);
      expect(e24 / e48).toBeGreaterThan(3.5);
    });

    it(`${kind}: DPM-Solver++ 2M and 3M converge (error / 3.2 and / 4.5 when steps double)`, async () => {
      const dpm = (steps: number, order: 2 | 3): SamplerConfig => ({ kind: 'dpm-solver', steps, order, eps });
      const r2 = (await relError(kind, dpm(24, 2))) / (await relError(kind, dpm(48, 2)));
      const r3 = (await relError(kind, dpm(24, 3))) / (await relError(kind, dpm(48, 3)));
      expect(r2).toBeGreaterThan(3.2);
      expect(r3).toBeGreaterThan(4.5);
      expect(await relError(kind, dpm(48, 3))).toBeLessThan(0.003);
    });
  }

  it('Heun with churn stays on the data distribution (moments, 16384 values)', async () => {
    const sde = defaultSde('vp');
    const { mu, s } = data.vp;
    const sampler: SamplerConfig = { kind: 'heun', steps: 40, rho: 7, eps: 1e-3, churn: 10 };
    const out = await sample(
      request(sde, sampler, mixtureScore(sde, [{ weight: 1, mu, s }]), streams(4n, 64), [256]),
    );
    const got = gaussianCheck(out.data, mu, s);
    expect(Math.abs(got.zMean)).toBeLessThan(4);
    // Variance within the chi-square bound plus 3 % for the ODE's truncation error.
    expect(Math.abs(got.variance / (s * s) - 1)).toBeLessThan(4 * Math.sqrt(2 / 16383) + 0.03);
  });
});
