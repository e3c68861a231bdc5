/**
 * The TypeScript samplers against the Python reference samplers on the same real network: the fixture in
 * test/fixtures/parity/sampler/ (`python3 -m training.make_sampler_parity`) holds a seeded random `micro` VE score
 * network exported to ONNX and the outputs of training/samplers.py on it; here the core's samplers drive the same
 * ONNX in onnxruntime-node with the same seed (C5), conditioning (C2) and settings. torch and ORT kernels round
 * differently in float32, so agreement is to 1e-4 relative to the output's RMS, not bit for bit.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conditioning, formLr } from '../../../src/core/image/lr';
import { toChw } from '../../../src/core/image/tensor';
import type { RgbImage } from '../../../src/core/image/types';
import { sample } from '../../../src/core/sampling';
import type { SamplerConfig, ScoreFn } from '../../../src/core/sampling/api';
import { createNoiseStream, parseSeed } from '../../../src/core/sampling/noise';

const dir = new URL('../../fixtures/parity/sampler/', import.meta.url);
interface Case {
  name: string;
  kind: 'pc' | 'heun';
  steps: number;
  predictor?: 'reverse-diffusion';
  corrector?: 'none' | 'langevin';
  corrector_steps?: number;
  snr?: number;
  rho?: number;
  candidates: { candidate: number; first: number[]; sum: number; sum_sq: number }[];
}
const fixture = JSON.parse(readFileSync(new URL('sampler.json', dir), 'utf8')) as {
  seed: string;
  sde: { sigma_min: number; sigma_max: number; eps: number };
  cases: Case[];
};
const formulas = (
  JSON.parse(readFileSync(new URL('../c2.json', dir), 'utf8')) as {
    cases: { formula?: { a: number; b: number; c: number; m: number; off: number; div: number } }[];
  }
).cases.flatMap((c) => (c.formula ? [c.formula] : []));

/** The c2.json formula image (the same definition the Python fixture uses). */
function formulaImage(f: (typeof formulas)[number]): RgbImage {
  const data = new Float32Array(128 * 128 * 3);
  for (let y = 0; y < 128; y++)
    for (let x = 0; x < 128; x++)
      for (let ch = 0; ch < 3; ch++)
        data[(y * 128 + x) * 3 + ch] =
          (((f.a * x + f.b * y + f.c * ch + ((x * y) % f.m)) % 256) - f.off) / f.div;
  return { width: 128, height: 128, data };
}

function samplerOf(c: Case, eps: number): SamplerConfig {
  if (c.kind === 'heun') return { kind: 'heun', steps: c.steps, rho: c.rho ?? 7, eps, churn: 0 };
  return {
    kind: 'pc',
    predictor: c.predictor ?? 'reverse-diffusion',
    corrector: c.corrector ?? 'none',
    steps: c.steps,
    correctorSteps: c.corrector_steps ?? 1,
    snr: c.snr ?? 0.16,
    eps,
  };
}

describe('TypeScript samplers vs the Python reference on one ONNX network', () => {
  let session: ort.InferenceSession;
  beforeAll(async () => {
    session = await ort.InferenceSession.create(new URL('model.onnx', dir).pathname, {
      intraOpNumThreads: 1,
    });
  });
  afterAll(async () => session?.release());

  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const score: ScoreFn = async (x, y, t) => {
      const out = await session.run({
        x: new ort.Tensor('float32', x.data, [...x.shape]),
        y: new ort.Tensor('float32', y.data, [...y.shape]),
        t: new ort.Tensor('float32', t, [t.length]),
      });
      return out.score!.data as Float32Array;
    };
    const ys = formulas.slice(0, 2).map((f) => conditioning(formLr(formulaImage(f))));
    const seed = parseSeed(fixture.seed);
    const out = await sample({
      sde: { kind: 've', sigmaMin: fixture.sde.sigma_min, sigmaMax: fixture.sde.sigma_max },
      sampler: samplerOf(c, fixture.sde.eps),
      sampleShape: [3, 128, 128],
      y: toChw(ys, [0, 1]),
      score,
      noise: [createNoiseStream(seed, 0), createNoiseStream(seed, 1)],
    });
    const n = 3 * 128 * 128;
    for (const ref of c.candidates) {
      const x = out.data.subarray(ref.candidate * n, (ref.candidate + 1) * n);
      const rms = Math.sqrt(ref.sum_sq / n);
      let sum = 0;
      let sumSq = 0;
      for (const v of x) {
        sum += v;
        sumSq += v * v;
      }
      const maxErr = Math.max(...ref.first.map((v, i) => Math.abs(x[i]! - v)));
      expect(maxErr / rms).toBeLessThan(1e-4);
      expect(Math.abs(sum - ref.sum) / (rms * n)).toBeLessThan(1e-4);
      expect(Math.abs(Math.sqrt(sumSq / n) - rms) / rms).toBeLessThan(1e-4);
    }
  });
});
