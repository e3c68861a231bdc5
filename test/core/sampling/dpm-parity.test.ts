/**
 * Cross-language parity of the 'fast' preset: test/fixtures/parity/dpm-solver.json is written by the Python
 * DPM-Solver++ (`python3 -m training.make_dpm_parity`, training/samplers.py) on the closed-form Gaussian score of
 * test/fixtures/models/make_models.py. The TypeScript sampler must give the same samples from the same C5 noise.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ScoreFn, SdeConfig, Tensor } from '../../../src/core/sampling/api';
import { sampleDpmSolver } from '../../../src/core/sampling/dpm-solver';
import { createNoiseStreams, parseSeed } from '../../../src/core/sampling/noise';
import { defaultEps, defaultSde } from '../../../src/core/sde';

interface DpmCase {
  sde: SdeConfig['kind'];
  order: 2 | 3;
  steps: number;
  x: number[];
}
interface DpmFixture {
  seed: string;
  shape: [number, number, number, number];
  cases: DpmCase[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/parity/dpm-solver.json', import.meta.url), 'utf8'),
) as DpmFixture;

/** Largest allowed |TS - Python|: float32 on both sides, rounding order differs (measured <= 1.1e-6). */
const TOL = 1e-5;
const S0 = 0.1;

/** make_models.py's Gaussian score: (m mu - x) / (m^2 s0^2 + std(t)^2), mu = y (VE) or 2y - 1 (VP/subVP). */
function analyticScore(sde: SdeConfig): ScoreFn {
  return (x: Tensor, y: Tensor, t: Float32Array): Promise<Float32Array> => {
    const out = new Float32Array(x.data.length);
    const per = x.data.length / t.length;
    for (let b = 0; b < t.length; b++) {
      const tb = t[b]!;
      let m = 1;
      let noiseVar: number;
      if (sde.kind === 've') {
        const sigma = sde.sigmaMin * Math.exp(tb * Math.log(sde.sigmaMax / sde.sigmaMin));
        noiseVar = sigma * sigma;
      } else {
        m = Math.exp(-0.25 * tb * tb * (sde.betaMax - sde.betaMin) - 0.5 * tb * sde.betaMin);
        const oneM2 = 1 - m * m;
        noiseVar = sde.kind === 'subvp' ? oneM2 * oneM2 : oneM2;
      }
      const v = m * m * S0 * S0 + noiseVar;
      for (let i = b * per; i < (b + 1) * per; i++) {
        const mu = sde.kind === 've' ? y.data[i]! : 2 * y.data[i]! - 1;
        out[i] = (m * mu - x.data[i]!) / v;
      }
    }
    return Promise.resolve(out);
  };
}

/** The fixture's conditioning: y[b,c,h,w] = ((5b + 7c + 3h + 11w) mod 17) / 16. */
function conditioning([nb, nc, nh, nw]: readonly number[]): Tensor {
  const data = new Float32Array(nb! * nc! * nh! * nw!);
  let i = 0;
  for (let b = 0; b < nb!; b++)
    for (let c = 0; c < nc!; c++)
      for (let h = 0; h < nh!; h++)
        for (let w = 0; w < nw!; w++) data[i++] = ((5 * b + 7 * c + 3 * h + 11 * w) % 17) / 16;
  return { data, shape: [nb!, nc!, nh!, nw!] };
}

describe('DPM-Solver++ parity with the Python reference (training/samplers.py)', () => {
  it.each(fixture.cases.map((c) => [`${c.sde} order ${c.order}, ${c.steps} NFE`, c] as const))(
    '%s',
    async (_name, c) => {
      const sde = defaultSde(c.sde);
      const [batch, ...sampleShape] = fixture.shape;
      const out = await sampleDpmSolver(
        {
          sde,
          sampler: { kind: 'dpm-solver', steps: c.steps, order: c.order, eps: defaultEps(c.sde) },
          sampleShape,
          y: conditioning(fixture.shape),
          score: analyticScore(sde),
          noise: createNoiseStreams(parseSeed(fixture.seed), batch),
        },
        { kind: 'dpm-solver', steps: c.steps, order: c.order, eps: defaultEps(c.sde) },
      );
      expect(out.data.length).toBe(c.x.length);
      let maxErr = 0;
      for (let i = 0; i < c.x.length; i++) maxErr = Math.max(maxErr, Math.abs(out.data[i]! - c.x[i]!));
      expect(maxErr).toBeLessThan(TOL);
      // The samples are not trivially equal to the conditioning mean (the noise reached the output).
      const y = conditioning(fixture.shape).data;
      let spread = 0;
      for (let i = 0; i < c.x.length; i++) {
        const mu = c.sde === 've' ? y[i]! : 2 * y[i]! - 1;
        spread = Math.max(spread, Math.abs(c.x[i]! - mu));
      }
      expect(spread).toBeGreaterThan(0.1);
    },
  );
});
