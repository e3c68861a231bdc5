/**
 * Every sampler on a two-component Gaussian mixture per coordinate (closed-form score in helpers.ts), checked with
 * a one-sample Kolmogorov-Smirnov test against the data CDF: 64 candidates x 64 values = 4096 samples, critical
 * value 1.95 / sqrt(n) = 0.0305 (alpha = 0.001). A sampler that only matched mean and variance fails (the control:
 * a Gaussian with the mixture's moments has D = 0.14). PC presets run N = 500 (VEcs 250) instead of 2000 for speed.
 */
import { describe, expect, it } from 'vitest';
import { FAST_ORDER, FAST_STEPS, resolvePreset, sample } from '../../../src/core/sampling';
import type { SamplerConfig, SdeConfig } from '../../../src/core/sampling/api';
import { createNoiseStream } from '../../../src/core/sampling/noise';
import { defaultEps, defaultSde } from '../../../src/core/sde';
import type { Component } from './helpers';
import { ksStatistic, mixtureScore, normalCdf, request, streams } from './helpers';

const B = 64;
const D = 64;
const CRITICAL = 1.95 / Math.sqrt(B * D);
const mixtures: Record<SdeConfig['kind'], Component[]> = {
  ve: [
    { weight: 0.35, mu: 0.25, s: 0.06 },
    { weight: 0.65, mu: 0.7, s: 0.1 },
  ],
  vp: [
    { weight: 0.35, mu: -0.5, s: 0.12 },
    { weight: 0.65, mu: 0.4, s: 0.2 },
  ],
  subvp: [
    { weight: 0.35, mu: -0.5, s: 0.12 },
    { weight: 0.65, mu: 0.4, s: 0.2 },
  ],
};
const mixtureCdf =
  (c: readonly Component[]) =>
  (x: number): number =>
    c.reduce((a, k) => a + k.weight * normalCdf((x - k.mu) / k.s), 0);

const runs: ReadonlyArray<{ name: string; kind: SdeConfig['kind']; sampler: SamplerConfig }> = [
  { name: 'sde-ve (N=500)', kind: 've', sampler: resolvePreset('sde-ve', defaultSde('ve'), { steps: 500 }) },
  {
    name: 'sde-vecs (N=250)',
    kind: 've',
    sampler: resolvePreset('sde-vecs', defaultSde('ve'), { steps: 250 }),
  },
  { name: 'sde-vp (N=500)', kind: 'vp', sampler: resolvePreset('sde-vp', defaultSde('vp'), { steps: 500 }) },
  {
    name: 'sde-subvp (N=500)',
    kind: 'subvp',
    sampler: resolvePreset('sde-subvp', defaultSde('subvp'), { steps: 500 }),
  },
  // The fast preset's solver run to eps (the preset itself stops earlier, at FAST_SIGMA_END: a denoised estimate,
  // not a draw from the data distribution, so it is tested in sample.test.ts instead).
  ...(['ve', 'vp', 'subvp'] as const).map((kind) => ({
    name: `fast preset's solver ${kind} (DPM-Solver++ 3M, ${FAST_STEPS} NFE, to eps)`,
    kind,
    sampler: {
      kind: 'dpm-solver',
      steps: FAST_STEPS,
      order: FAST_ORDER,
      eps: defaultEps(kind),
    } as SamplerConfig,
  })),
  {
    name: 'dpm-solver 2M vp (30)',
    kind: 'vp',
    sampler: { kind: 'dpm-solver', steps: 30, order: 2, eps: 1e-3 },
  },
  {
    name: 'heun ve (40 steps, 79 NFE)',
    kind: 've',
    sampler: { kind: 'heun', steps: 40, rho: 7, eps: 1e-5, churn: 0 },
  },
  {
    name: 'heun subvp (40 steps)',
    kind: 'subvp',
    sampler: { kind: 'heun', steps: 40, rho: 7, eps: 1e-3, churn: 0 },
  },
  {
    name: 'vp reverse diffusion (N=500)',
    kind: 'vp',
    sampler: {
      kind: 'pc',
      predictor: 'reverse-diffusion',
      corrector: 'none',
      steps: 500,
      correctorSteps: 0,
      snr: 0.16,
      eps: 1e-3,
    },
  },
];

describe('samplers reproduce a 2-component mixture (Kolmogorov-Smirnov)', () => {
  for (const r of runs) {
    it(`${r.name}: D < ${CRITICAL.toFixed(4)}`, async () => {
      const sde = defaultSde(r.kind);
      const mix = mixtures[r.kind];
      const out = await sample(request(sde, r.sampler, mixtureScore(sde, mix), streams(21n, B), [D]));
      expect(ksStatistic(out.data, mixtureCdf(mix))).toBeLessThan(CRITICAL);
    });
  }

  it('control: a Gaussian with the mixture mean and variance fails the same test', () => {
    const mix = mixtures.vp;
    const mean = mix.reduce((a, k) => a + k.weight * k.mu, 0);
    const v = mix.reduce((a, k) => a + k.weight * (k.s ** 2 + k.mu ** 2), 0) - mean ** 2;
    const z = createNoiseStream(1n, 0)
      .next(B * D)
      .map((x) => mean + Math.sqrt(v) * x);
    expect(ksStatistic(z, mixtureCdf(mix))).toBeGreaterThan(3 * CRITICAL);
  });

  it('control: a too-coarse sampler fails it (Heun, 5 steps)', async () => {
    const sde = defaultSde('ve');
    const sampler: SamplerConfig = { kind: 'heun', steps: 5, rho: 7, eps: 1e-5, churn: 0 };
    const out = await sample(request(sde, sampler, mixtureScore(sde, mixtures.ve), streams(21n, B), [D]));
    expect(ksStatistic(out.data, mixtureCdf(mixtures.ve))).toBeGreaterThan(CRITICAL);
  });
});
