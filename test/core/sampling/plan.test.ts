/** planRun: one place that turns a run request and a model into the SDE, sampler, seed and candidates. */
import { describe, expect, it } from 'vitest';
import {
  FAST_ORDER,
  FAST_STEPS,
  PAPER_SNR,
  PAPER_STEPS,
  planRun,
  type RunRequest,
} from '../../../src/core/sampling';

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
  it('resolves the fast preset with the model eps (not the SDE default)', () => {
    expect(planRun(req, ve)).toEqual({
      model: { id: 've-model', sha256: 'a'.repeat(64) },
      preset: 'fast',
      sde: ve.sde,
      sampler: { kind: 'dpm-solver', steps: FAST_STEPS, order: FAST_ORDER, eps: 2e-5 },
      seed: '7',
      candidates: 4,
      dataConsistency: false,
    });
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
