/** planRun: one place that turns a run request and a model into the SDE, sampler, seed and candidates. */
import { describe, expect, it } from 'vitest';
import {
  FAST_ORDER,
  fastEndTime,
  FAST_STEPS,
  PAPER_SNR,
  PAPER_STEPS,
  nfePerBatch,
  planRun,
  presetModelRef,
  sample,
  type RunRequest,
  type SamplerConfig,
  type ScoreFn,
  type SdeConfig,
} from '../../../src/core/sampling';
import { streams } from './helpers';

const ve = {
  id: 've-model',
  sha256: 'a'.repeat(64),
  sde: { kind: 've', sigmaMin: 0.01, sigmaMax: 348 },
  eps: 2e-5,
} as const;
const vp = {
  id: 'vp-model',
  sha256: 'b'.repeat(64),
  sde: { kind: 'vp', betaMin: 0.1, betaMax: 20 },
  eps: 1e-3,
} as const;
const req: RunRequest = { preset: 'fast', seed: '7', candidates: 4, dataConsistency: false };

describe('planRun', () => {
  it('resolves the fast preset to stop at FAST_SIGMA_END, never below the model eps', () => {
    expect(planRun(req, ve)).toEqual({
      model: { id: 've-model', sha256: 'a'.repeat(64) },
      preset: 'fast',
      sde: ve.sde,
      sampler: { kind: 'dpm-solver', steps: FAST_STEPS, order: FAST_ORDER, eps: fastEndTime(ve.sde) },
      seed: '7',
      candidates: 4,
      dataConsistency: false,
    });
    expect(fastEndTime(ve.sde)).toBeGreaterThan(0.2);
    expect(planRun(req, { ...ve, eps: 0.5 }).sampler.eps).toBe(0.5);
  });

  it('applies overrides to the paper presets: N, M and r', () => {
    expect(
      planRun({ ...req, preset: 'sde-vecs', steps: 100, correctorSteps: 2, snr: 0.2 }, ve).sampler,
    ).toEqual({
      kind: 'pc',
      predictor: 'reverse-diffusion',
      corrector: 'langevin',
      steps: 100,
      correctorSteps: 2,
      snr: 0.2,
      eps: 2e-5,
    });
    expect(planRun({ ...req, preset: 'sde-vp' }, vp).sampler).toMatchObject({
      kind: 'pc',
      predictor: 'euler-maruyama',
      corrector: 'none',
      steps: PAPER_STEPS,
      correctorSteps: 0,
      snr: PAPER_SNR,
      eps: 1e-3,
    });
  });

  it('refuses a preset for another SDE, a bad seed and a bad candidate count, in one line', () => {
    expect(() => planRun({ ...req, preset: 'sde-ve' }, vp)).toThrow(
      'Preset sde-ve is for the VE SDE, but the model is vp.',
    );
    expect(() => planRun({ ...req, seed: '0x10' }, ve)).toThrow(/Seed "0x10" is not a whole number/);
    expect(() => planRun({ ...req, candidates: 17 }, ve)).toThrow(
      'A run samples 1 to 16 candidates, not 17.',
    );
    expect(() => planRun({ ...req, candidates: 0 }, ve)).toThrow('A run samples 1 to 16 candidates, not 0.');
  });
});

describe('nfePerBatch and presetModelRef', () => {
  const sde: SdeConfig = { kind: 've', sigmaMin: 0.01, sigmaMax: 2 };
  /** Runs the sampler on a toy score and counts its calls. */
  async function counted(sampler: SamplerConfig): Promise<number> {
    let calls = 0;
    const score: ScoreFn = async (x) => {
      calls++;
      return x.data.map((v) => -v);
    };
    await sample({
      sde,
      sampler,
      score,
      noise: streams(3n, 2),
      sampleShape: [4],
      y: { data: new Float32Array(8), shape: [2, 4] },
    });
    return calls;
  }

  it.each<SamplerConfig>([
    {
      kind: 'pc',
      predictor: 'reverse-diffusion',
      corrector: 'langevin',
      steps: 5,
      correctorSteps: 2,
      snr: 0.16,
      eps: 1e-5,
    },
    {
      kind: 'pc',
      predictor: 'reverse-diffusion',
      corrector: 'none',
      steps: 7,
      correctorSteps: 0,
      snr: 0.16,
      eps: 1e-5,
    },
    {
      kind: 'pc',
      predictor: 'none',
      corrector: 'langevin',
      steps: 3,
      correctorSteps: 2,
      snr: 0.16,
      eps: 1e-5,
    },
    { kind: 'heun', steps: 6, rho: 7, eps: 1e-5, churn: 0 },
    { kind: 'dpm-solver', steps: 9, order: 3, eps: 1e-5 },
  ])('counts the score calls of a $kind sampler', async (sampler) => {
    expect(nfePerBatch(sampler)).toBe(await counted(sampler));
  });

  it('names the model a preset runs on when none is chosen', () => {
    expect(presetModelRef('fast')).toBe('best');
    expect(presetModelRef('sde-ve')).toBe('ve');
    expect(presetModelRef('sde-vecs')).toBe('ve');
    expect(presetModelRef('sde-vp')).toBe('vp');
    expect(presetModelRef('sde-subvp')).toBe('subvp');
  });
});
