/**
 * Hand-computed single steps of every predictor, corrector and ODE step on tiny tensors, to 1e-6. The expected
 * values come from DESIGN.md's formulas written out here with their own marginals (not the implementation's).
 */
import { describe, expect, it } from 'vitest';
import { sample } from '../../../src/core/sampling';
import type { SamplerConfig, ScoreFn, SdeConfig, Tensor } from '../../../src/core/sampling/api';
import { correctors, langevinStep } from '../../../src/core/sampling/correctors';
import { createNoiseStream } from '../../../src/core/sampling/noise';
import { applyAffine, predictors } from '../../../src/core/sampling/predictors';
import { createSde, defaultSde } from '../../../src/core/sde';
import { streams } from './helpers';

const x0 = [0.3, -1.2, 0.05];
const s0 = [2, -0.5, 0.25];
const z0 = [0.7, -1.1, 0.4];
const N = 10;
const T = 0.5; // grid index k = floor(0.5 * 9) = 4

function expectClose(got: ArrayLike<number>, want: readonly number[], tol = 1e-6): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!), `index ${i}`).toBeLessThan(tol);
}

function runPredictor(kind: SdeConfig['kind'], name: 'reverse-diffusion' | 'euler-maruyama') {
  const x = Float32Array.from(x0);
  const xMean = new Float32Array(3);
  applyAffine(
    predictors[name](createSde(defaultSde(kind)), T, N),
    x,
    Float32Array.from(s0),
    Float32Array.from(z0),
    xMean,
  );
  return { x, xMean };
}

/** Hand-written marginals (DESIGN.md table). */
function marginal(sde: SdeConfig, t: number): { m: number; std: number } {
  if (sde.kind === 've') return { m: 1, std: sde.sigmaMin * (sde.sigmaMax / sde.sigmaMin) ** t };
  const m = Math.exp(-0.25 * t * t * (sde.betaMax - sde.betaMin) - 0.5 * t * sde.betaMin);
  return { m, std: sde.kind === 'vp' ? Math.sqrt(1 - m * m) : 1 - m * m };
}

describe('predictor steps', () => {
  it('VE reverse diffusion: x + (sigma_k^2 - sigma_{k-1}^2) s + sqrt(sigma_k^2 - sigma_{k-1}^2) z', () => {
    const sig = (k: number): number => Math.exp(Math.log(0.01) + (k / 9) * (Math.log(348) - Math.log(0.01)));
    const d = sig(4) ** 2 - sig(3) ** 2; // sigma_4 = 1.0552..., sigma_3 = 0.3299...
    const { x, xMean } = runPredictor('ve', 'reverse-diffusion');
    expectClose(xMean, [0.3 + d * 2, -1.2 - d * 0.5, 0.05 + d * 0.25]);
    expectClose(
      x,
      [0, 1, 2].map((i) => xMean[i]! + Math.sqrt(d) * z0[i]!),
    );
  });

  it('VP reverse diffusion: (2 - sqrt(1 - beta_k)) x + beta_k s + sqrt(beta_k) z', () => {
    const beta = 0.1 / 10 + (4 * (20 / 10 - 0.1 / 10)) / 9; // linspace(0.01, 2, 10)[4] = 0.8944...
    const { x, xMean } = runPredictor('vp', 'reverse-diffusion');
    const want = x0.map((v, i) => (2 - Math.sqrt(1 - beta)) * v + beta * s0[i]!);
    expectClose(xMean, want);
    expectClose(
      x,
      want.map((v, i) => v + Math.sqrt(beta) * z0[i]!),
    );
  });

  it('subVP reverse diffusion (generic discretisation): x - (f dt - g^2 dt s) + g sqrt(dt) z', () => {
    const beta = 0.1 + 0.5 * 19.9;
    const m = Math.exp(-0.25 * 0.25 * 19.9 - 0.5 * 0.5 * 0.1);
    const g2 = beta * (1 - m ** 4);
    const { x, xMean } = runPredictor('subvp', 'reverse-diffusion');
    const want = x0.map((v, i) => v - (-0.5 * beta * v) / N + (g2 / N) * s0[i]!);
    expectClose(xMean, want);
    expectClose(
      x,
      want.map((v, i) => v + Math.sqrt(g2 / N) * z0[i]!),
    );
  });

  for (const kind of ['ve', 'vp', 'subvp'] as const) {
    it(`${kind} Euler-Maruyama: x - (f - g^2 s) / N + g sqrt(1/N) z`, () => {
      let f = 0;
      let g2: number;
      if (kind === 've') g2 = (0.01 * 34800 ** 0.5) ** 2 * 2 * Math.log(34800);
      else {
        const beta = 0.1 + 0.5 * 19.9;
        const m = Math.exp(-0.25 * 0.25 * 19.9 - 0.5 * 0.5 * 0.1);
        f = -0.5 * beta;
        g2 = kind === 'vp' ? beta : beta * (1 - m ** 4);
      }
      const { x, xMean } = runPredictor(kind, 'euler-maruyama');
      const want = x0.map((v, i) => v - (f * v - g2 * s0[i]!) / N);
      expectClose(xMean, want, 1e-5 * Math.max(1, g2 / N));
      expectClose(
        x,
        want.map((v, i) => v + Math.sqrt(g2 / N) * z0[i]!),
        1e-5 * Math.max(1, g2 / N),
      );
    });
  }

  it('none leaves x unchanged', () => {
    const x = Float32Array.from(x0);
    const xMean = new Float32Array(3);
    applyAffine(predictors.none(createSde(defaultSde('vp')), T, N), x, Float32Array.from(s0), null, xMean);
    expectClose(x, x0);
    expectClose(xMean, x0);
  });
});

describe('Langevin corrector', () => {
  it('uses each sample its own norms: eps_b = 2 alpha (r ||z_b|| / ||s_b||)^2', () => {
    // Two samples of 3 values; sample 1's score is 10x larger, so its step is 100x smaller.
    const s = Float32Array.from([...s0, ...s0.map((v) => 10 * v)]);
    const z = Float32Array.from([...z0, ...z0]);
    const x = Float32Array.from([...x0, ...x0]);
    const xMean = new Float32Array(6);
    const alpha = 0.9;
    const r = 0.16;
    const norm = (v: readonly number[]): number => Math.sqrt(v.reduce((a, b) => a + b * b, 0));
    const eps0 = 2 * alpha * ((r * norm(z0)) / norm(s0)) ** 2; // 2 (0.9) (0.16 * 1.36382 / 2.07666)^2 = 0.019875
    const eps1 = eps0 / 100;
    const steps = langevinStep(x, s, z, xMean, 2, 3, r, alpha);
    expectClose(steps, [eps0, eps1], 1e-9);
    expect(eps0).toBeCloseTo(0.019875, 6);
    const want = [...x0.map((v, i) => v + eps0 * s0[i]!), ...x0.map((v, i) => v + eps1 * 10 * s0[i]!)];
    expectClose(xMean, want);
    expectClose(
      x,
      want.map((v, i) => v + Math.sqrt(2 * (i < 3 ? eps0 : eps1)) * z[i]!),
    );
  });

  it('is what the correctors record holds under "langevin"; "none" leaves x as it is', () => {
    const s = Float32Array.from(s0);
    const z = Float32Array.from(z0);
    const a = { x: Float32Array.from(x0), m: new Float32Array(3) };
    const b = { x: Float32Array.from(x0), m: new Float32Array(3) };
    langevinStep(a.x, s, z, a.m, 1, 3, 0.16, 1);
    correctors.langevin(b.x, s, z, b.m, 1, 3, 0.16, 1);
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    expect(Array.from(b.m)).toEqual(Array.from(a.m));
    const c = { x: Float32Array.from(x0), m: new Float32Array(3) };
    correctors.none(c.x, s, z, c.m, 1, 3, 0.16, 1);
    expect(Array.from(c.x)).toEqual(Array.from(Float32Array.from(x0)));
    expect(Array.from(c.m)).toEqual(Array.from(c.x));
  });
});

/** A simple time-dependent score, s(x, t) = -(x - 0.1) / (0.5 + t), applied per item. */
const toyScore: ScoreFn = (x: Tensor, _y: Tensor, t: Float32Array) => {
  const per = x.data.length / t.length;
  return Promise.resolve(x.data.map((v, i) => -(v - 0.1) / (0.5 + t[Math.floor(i / per)]!)));
};
const toy = (v: number, t: number): number => -(v - 0.1) / (0.5 + Math.fround(t));

/**
 * Mild SDE parameters for the loop replays: with the paper's beta_max = 20, sigma(1) = std / m is ~156, and float32
 * storage of the state alone moves results by ~1e-5; here sigma(1) ~ 1.4 keeps it below 1e-6.
 */
const MILD_VP: SdeConfig = { kind: 'vp', betaMin: 0.1, betaMax: 2 };
const MILD_SUBVP: SdeConfig = { kind: 'subvp', betaMin: 0.1, betaMax: 2 };

async function run(sde: SdeConfig, sampler: SamplerConfig, seed: bigint, n: number): Promise<Float32Array> {
  const y = { data: new Float32Array(1), shape: [1, 1] };
  return (await sample({ sde, sampler, score: toyScore, noise: streams(seed, 1), sampleShape: [n], y })).data;
}

describe('whole loops on a toy score, replayed by hand', () => {
  it('PC (reverse diffusion + Langevin, N = 2) draws prior, corrector, predictor noise in C5 order', async () => {
    const sde: SdeConfig = { kind: 've', sigmaMin: 0.01, sigmaMax: 2 };
    const cfg: SamplerConfig = {
      kind: 'pc',
      predictor: 'reverse-diffusion',
      corrector: 'langevin',
      steps: 2,
      correctorSteps: 1,
      snr: 0.2,
      eps: 1e-5,
    };
    const got = await run(sde, cfg, 77n, 3);
    const noise = createNoiseStream(77n, 0);
    let x = Array.from(noise.next(3), (v) => v * 2);
    const langevin = (t: number): void => {
      const s = x.map((v) => toy(v, t));
      const z = Array.from(noise.next(3));
      const eps = 2 * ((0.2 * Math.hypot(...z)) / Math.hypot(...s)) ** 2;
      x = x.map((v, i) => v + eps * s[i]! + Math.sqrt(2 * eps) * z[i]!);
    };
    // Step 0 at t = 1: k = 1, sigma_1 = 2, sigma_0 = 0.01.
    langevin(1);
    let d = 4 - 0.0001;
    let s = x.map((v) => toy(v, 1));
    const z = Array.from(noise.next(3));
    x = x.map((v, i) => v + d * s[i]! + Math.sqrt(d) * z[i]!);
    // Step 1 at t = eps: k = 0, sigma_{-1} = 0; the result is the mean.
    langevin(1e-5);
    d = 0.0001;
    s = x.map((v) => toy(v, 1e-5));
    expectClose(
      got,
      x.map((v, i) => v + d * s[i]!),
    );
  });

  it('Heun (2 steps, VP): Euler + trapezoid correction, then the final Euler step to sigma = 0', async () => {
    const sde = MILD_VP;
    const got = await run(sde, { kind: 'heun', steps: 2, rho: 7, eps: 1e-3, churn: 0 }, 5n, 3);
    const at = (t: number) => marginal(sde, t);
    const sigma = (t: number): number => at(t).std / at(t).m;
    const [s0v, s1v] = [sigma(1), sigma(1e-3)];
    // Schedule with N = 2: sigma_max, sigma_min, 0. Slope dx_hat/dsigma = -sigma m s(m x_hat, t).
    const slope = (xh: number[], sg: number, t: number): number[] =>
      xh.map((v) => -sg * at(t).m * toy(at(t).m * v, t));
    let xh = Array.from(createNoiseStream(5n, 0).next(3), (v) => v * s0v);
    const d1 = slope(xh, s0v, 1);
    const xe = xh.map((v, i) => v + (s1v - s0v) * d1[i]!);
    const d2 = slope(xe, s1v, 1e-3);
    xh = xh.map((v, i) => v + (s1v - s0v) * 0.5 * (d1[i]! + d2[i]!));
    const d3 = slope(xh, s1v, 1e-3);
    expectClose(
      got,
      xh.map((v, i) => v + (0 - s1v) * d3[i]!),
    );
  });

  for (const order of [2, 3] as const) {
    it(`DPM-Solver++ ${order}M (subVP, ${order + 1} points): steps of order 1..${order}, then the clean estimate`, async () => {
      const sde = MILD_SUBVP;
      const n = order + 1;
      const got = await run(sde, { kind: 'dpm-solver', steps: n, order, eps: 1e-3 }, 6n, 3);
      const at = (t: number) => marginal(sde, t);
      const lambda = (t: number): number => Math.log(at(t).m / at(t).std);
      // Grid uniform in lambda; times by bisection on the hand-written marginals.
      const l0 = lambda(1);
      const l1 = lambda(1e-3);
      const ls = Array.from({ length: n }, (_, i) => l0 + (i / (n - 1)) * (l1 - l0));
      const ts = ls.map((l, i) => {
        if (i === 0) return 1;
        if (i === n - 1) return 1e-3;
        let lo = 1e-3;
        let hi = 1;
        for (let it = 0; it < 200; it++) {
          const mid = (lo + hi) / 2;
          if (lambda(mid) > l) lo = mid;
          else hi = mid;
        }
        return (lo + hi) / 2;
      });
      let x = Array.from(createNoiseStream(6n, 0).next(3), (v) => v * at(1).std);
      const denoise = (t: number): number[] => x.map((v) => (v + at(t).std ** 2 * toy(v, t)) / at(t).m);
      const hist: number[][] = [];
      for (let i = 0; i < n - 1; i++) {
        hist.unshift(denoise(ts[i]!));
        const [a, b, c] = [at(ts[i]!), at(ts[i + 1]!), ls[i + 1]! - ls[i]!];
        const phi = Math.exp(-c) - 1;
        const k = Math.min(order, i + 1);
        x = x.map((v, j) => {
          const m0 = hist[0]![j]!;
          let out = (b.std / a.std) * v - b.m * phi * m0;
          if (k >= 2) {
            const r0 = (ls[i]! - ls[i - 1]!) / c;
            const d10 = (m0 - hist[1]![j]!) / r0;
            if (k === 2) out += -0.5 * b.m * phi * d10;
            else {
              const r1 = (ls[i - 1]! - ls[i - 2]!) / c;
              const d11 = (hist[1]![j]! - hist[2]![j]!) / r1;
              const d1 = d10 + (r0 / (r0 + r1)) * (d10 - d11);
              const d2 = (d10 - d11) / (r0 + r1);
              out += b.m * (phi / c + 1) * d1 - b.m * ((phi + c) / c ** 2 - 0.5) * d2;
            }
          }
          return out;
        });
      }
      expectClose(got, denoise(1e-3));
    });
  }
});
