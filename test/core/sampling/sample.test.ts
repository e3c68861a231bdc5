import { describe, expect, it } from 'vitest';
import { resolvePreset, sample, SamplingCancelled } from '../../../src/core/sampling';
import type { SamplerConfig, ScoreFn, SdeConfig, SamplingProgress } from '../../../src/core/sampling/api';
import { createNoiseStream } from '../../../src/core/sampling/noise';
import { defaultSde } from '../../../src/core/sde';
import { mixtureScore, request, streams } from './helpers';

const D = 48;
const mixture = [
  { weight: 0.4, mu: -0.4, s: 0.15 },
  { weight: 0.6, mu: 0.5, s: 0.2 },
];

/** Every sampler kind once, with few steps: determinism does not depend on convergence. */
const samplers: ReadonlyArray<{ name: string; sde: SdeConfig; sampler: SamplerConfig }> = [
  {
    name: 'sde-ve',
    sde: defaultSde('ve'),
    sampler: resolvePreset('sde-ve', defaultSde('ve'), { steps: 30 }),
  },
  {
    name: 'sde-vecs',
    sde: defaultSde('ve'),
    sampler: resolvePreset('sde-vecs', defaultSde('ve'), { steps: 30 }),
  },
  {
    name: 'sde-vp',
    sde: defaultSde('vp'),
    sampler: resolvePreset('sde-vp', defaultSde('vp'), { steps: 30 }),
  },
  {
    name: 'sde-subvp',
    sde: defaultSde('subvp'),
    sampler: resolvePreset('sde-subvp', defaultSde('subvp'), { steps: 30 }),
  },
  {
    name: 'vp reverse diffusion + langevin M=2',
    sde: defaultSde('vp'),
    sampler: {
      kind: 'pc',
      predictor: 'reverse-diffusion',
      corrector: 'langevin',
      steps: 20,
      correctorSteps: 2,
      snr: 0.16,
      eps: 1e-3,
    },
  },
  { name: 'fast (dpm-solver 3) vp', sde: defaultSde('vp'), sampler: resolvePreset('fast', defaultSde('vp')) },
  {
    name: 'heun vp',
    sde: defaultSde('vp'),
    sampler: { kind: 'heun', steps: 10, rho: 7, eps: 1e-3, churn: 0 },
  },
  {
    name: 'heun with churn ve',
    sde: defaultSde('ve'),
    sampler: { kind: 'heun', steps: 10, rho: 7, eps: 1e-5, churn: 5 },
  },
  {
    name: 'dpm-solver 2 ve',
    sde: defaultSde('ve'),
    sampler: { kind: 'dpm-solver', steps: 12, order: 2, eps: 1e-5 },
  },
];

describe('sample(): determinism (C5)', () => {
  for (const c of samplers) {
    it(`${c.name}: same seed gives bit-identical output; candidate k is the same alone or in a batch of 4`, async () => {
      const score = mixtureScore(c.sde, mixture);
      const seed = 0xfedcba9876543210n;
      const batch = await sample(request(c.sde, c.sampler, score, streams(seed, 4), [D]));
      const again = await sample(request(c.sde, c.sampler, score, streams(seed, 4), [D]));
      expect(batch.shape).toEqual([4, D]);
      expect(again.data).toEqual(batch.data);
      for (const k of [0, 2, 3]) {
        const alone = await sample(request(c.sde, c.sampler, score, [createNoiseStream(seed, k)], [D]));
        expect(alone.data).toEqual(batch.data.subarray(k * D, (k + 1) * D));
      }
      const other = await sample(request(c.sde, c.sampler, score, streams(seed + 1n, 1), [D]));
      expect(other.data).not.toEqual(batch.data.subarray(0, D));
      expect(batch.data.every(Number.isFinite)).toBe(true);
    });
  }
});

describe('sample(): progress and cancellation', () => {
  it('reports every step with the NFE so far (PC with corrector: 2 NFE per step)', async () => {
    const sde = defaultSde('ve');
    const events: SamplingProgress[] = [];
    await sample(
      request(
        sde,
        resolvePreset('sde-vecs', sde, { steps: 5 }),
        mixtureScore(sde, mixture),
        streams(1n, 2),
        [4],
        {
          onProgress: (p) => events.push(p),
        },
      ),
    );
    expect(events).toEqual([1, 2, 3, 4, 5].map((step) => ({ step, total: 5, nfe: 2 * step })));
  });

  it('counts 2N - 1 NFE for Heun and N for DPM-Solver', async () => {
    const vp = defaultSde('vp');
    const last = async (sampler: SamplerConfig): Promise<SamplingProgress | undefined> => {
      let p: SamplingProgress | undefined;
      await sample(
        request(vp, sampler, mixtureScore(vp, mixture), streams(1n, 1), [4], { onProgress: (e) => (p = e) }),
      );
      return p;
    };
    expect(await last({ kind: 'heun', steps: 18, rho: 7, eps: 1e-3, churn: 0 })).toEqual({
      step: 18,
      total: 18,
      nfe: 35,
    });
    expect(await last(resolvePreset('fast', vp, { steps: 20 }))).toEqual({
      step: 20,
      total: 20,
      nfe: 20,
    });
  });

  for (const c of samplers.filter((s) =>
    ['sde-vecs', 'heun vp', 'fast (dpm-solver 3) vp'].includes(s.name),
  )) {
    it(`${c.name}: throws SamplingCancelled between steps once the signal is aborted`, async () => {
      const signal = { aborted: false };
      let calls = 0;
      const inner = mixtureScore(c.sde, mixture);
      const promise = sample(
        request(
          c.sde,
          c.sampler,
          (x, y, t) => (++calls === 3 ? ((signal.aborted = true), inner(x, y, t)) : inner(x, y, t)),
          streams(1n, 1),
          [4],
          {
            signal,
          },
        ),
      );
      await expect(promise).rejects.toBeInstanceOf(SamplingCancelled);
      expect(calls).toBeLessThanOrEqual(4);
    });
  }

  it('never calls the model when already cancelled', async () => {
    const sde = defaultSde('vp');
    let calls = 0;
    const score = mixtureScore(sde, mixture);
    await expect(
      sample(
        request(
          sde,
          resolvePreset('sde-vp', sde),
          (x, y, t) => (calls++, score(x, y, t)),
          streams(1n, 1),
          [4],
          {
            signal: { aborted: true },
          },
        ),
      ),
    ).rejects.toThrow('Sampling was cancelled.');
    expect(calls).toBe(0);
  });
});

describe('sample(): noise overlaps the network', () => {
  it('draws the step noise while the score call is still pending (same draws, C5 order kept)', async () => {
    const sde = defaultSde('vp');
    const inner = mixtureScore(sde, mixture);
    const stream = createNoiseStream(3n, 0);
    const blocksWhenPending: bigint[] = [];
    const score: ScoreFn = (x, y, t) => {
      const done = inner(x, y, t);
      // Resolve on a later macrotask and note how far the stream got while this call was in flight.
      return new Promise((resolve) =>
        setTimeout(() => {
          blocksWhenPending.push(stream.block);
          resolve(done);
        }, 0),
      );
    };
    const out = await sample(request(sde, resolvePreset('sde-vp', sde, { steps: 3 }), score, [stream], [8]));
    // Prior = 2 blocks; steps 0 and 1 draw 2 blocks each during their score calls; the last step draws none.
    expect(blocksWhenPending).toEqual([4n, 6n, 6n]);
    const plain = await sample(
      request(sde, resolvePreset('sde-vp', sde, { steps: 3 }), inner, streams(3n, 1), [8]),
    );
    expect(out.data).toEqual(plain.data);
  });
});

describe('sample(): the score function contract', () => {
  it('passes x with batch shape, y unchanged and SDE time per item on the PC grid', async () => {
    const sde = defaultSde('vp');
    const seen: { shape: readonly number[]; t: number[]; y: number }[] = [];
    const req = request(
      sde,
      resolvePreset('sde-vp', sde, { steps: 3 }),
      (x, y, t) => {
        seen.push({ shape: x.shape, t: Array.from(t), y: y.data[1]! });
        return Promise.resolve(new Float32Array(x.data.length));
      },
      streams(1n, 2),
      [2, 3],
    );
    req.y.data[1] = 7;
    await sample(req);
    expect(seen.map((s) => s.shape)).toEqual([
      [2, 2, 3],
      [2, 2, 3],
      [2, 2, 3],
    ]);
    expect(seen.map((s) => s.t)).toEqual([
      [1, 1],
      [Math.fround(0.5005), Math.fround(0.5005)],
      [Math.fround(1e-3), Math.fround(1e-3)],
    ]);
    expect(seen.every((s) => s.y === 7)).toBe(true);
  });

  it('rejects a score of the wrong size, a y of the wrong batch and no candidates', async () => {
    const sde = defaultSde('ve');
    const sampler = resolvePreset('sde-ve', sde, { steps: 3 });
    const bad = request(sde, sampler, () => Promise.resolve(new Float32Array(3)), streams(1n, 1), [4]);
    await expect(sample(bad)).rejects.toThrow(/returned 3 values, expected 4/);
    const nan = request(
      sde,
      sampler,
      () => Promise.resolve(Float32Array.from([0, NaN, 0, 0])),
      streams(1n, 1),
      [4],
    );
    await expect(sample(nan)).rejects.toThrow(/non-finite value at t = 1/);
    const ok = mixtureScore(sde, mixture);
    await expect(
      sample({
        ...request(sde, sampler, ok, streams(1n, 2), [4]),
        y: { data: new Float32Array(1), shape: [1, 1] },
      }),
    ).rejects.toThrow(/y has batch 1/);
    await expect(sample(request(sde, sampler, ok, [], [4]))).rejects.toThrow(/at least one noise stream/);
    await expect(sample(request(sde, { ...sampler, steps: 0 }, ok, streams(1n, 1), [4]))).rejects.toThrow(
      /positive integer/,
    );
  });
});

describe('sampler settings', () => {
  it('are checked before any work, with a message naming the problem', async () => {
    const sde = defaultSde('vp');
    const ok = mixtureScore(sde, mixture);
    const run = (sampler: SamplerConfig) => sample(request(sde, sampler, ok, streams(1n, 1), [4]));
    const pc = resolvePreset('sde-vp', sde, { steps: 3 });
    if (pc.kind !== 'pc') throw new Error('expected a PC preset');
    await expect(run({ ...pc, steps: 2.5 })).rejects.toThrow(/steps must be a positive integer/);
    await expect(run({ ...pc, eps: 0 })).rejects.toThrow(/eps must lie in \(0, 1\)/);
    await expect(run({ ...pc, corrector: 'langevin', correctorSteps: 1, snr: 0 })).rejects.toThrow(/snr/);
    await expect(run({ ...pc, correctorSteps: -1 })).rejects.toThrow(/corrector steps/);
    await expect(run({ kind: 'heun', steps: 3, rho: 0, eps: 1e-3, churn: 0 })).rejects.toThrow(/rho/);
    await expect(run({ kind: 'heun', steps: 3, rho: 7, eps: 1e-3, churn: -1 })).rejects.toThrow(/churn/);
    await expect(run({ kind: 'dpm-solver', steps: 3, order: 4 as 3, eps: 1e-3 })).rejects.toThrow(/order/);
  });
});

describe('resolvePreset', () => {
  it('gives the paper variants with N = 2000 and the paper eps', () => {
    expect(resolvePreset('sde-ve', defaultSde('ve'))).toEqual({
      kind: 'pc',
      predictor: 'reverse-diffusion',
      corrector: 'none',
      steps: 2000,
      correctorSteps: 0,
      snr: 0.16,
      eps: 1e-5,
    });
    expect(resolvePreset('sde-vecs', defaultSde('ve'))).toEqual({
      kind: 'pc',
      predictor: 'reverse-diffusion',
      corrector: 'langevin',
      steps: 2000,
      correctorSteps: 1,
      snr: 0.16,
      eps: 1e-5,
    });
    expect(resolvePreset('sde-vp', defaultSde('vp'))).toMatchObject({
      predictor: 'euler-maruyama',
      corrector: 'none',
      eps: 1e-3,
    });
    expect(resolvePreset('sde-subvp', defaultSde('subvp'))).toMatchObject({
      predictor: 'euler-maruyama',
      corrector: 'none',
      eps: 1e-3,
    });
    // VE: sigma(t) = 0.01 * 34800^t = 0.2  =>  t = ln 20 / ln 34800.
    expect(resolvePreset('fast', defaultSde('ve'))).toEqual({
      kind: 'dpm-solver',
      steps: 25,
      order: 3,
      eps: expect.closeTo(Math.log(20) / Math.log(34800), 12),
    });
    expect(resolvePreset('fast', defaultSde('subvp'))).toMatchObject({ kind: 'dpm-solver', steps: 25 });
  });

  it('applies overrides and rejects a preset for another SDE or bad numbers', () => {
    expect(
      resolvePreset('sde-vecs', defaultSde('ve'), { steps: 100, correctorSteps: 3, snr: 0.2 }),
    ).toMatchObject({
      steps: 100,
      correctorSteps: 3,
      snr: 0.2,
    });
    expect(resolvePreset('sde-ve', defaultSde('ve'), { correctorSteps: 3 })).toMatchObject({
      corrector: 'none',
      correctorSteps: 0,
    });
    expect(() => resolvePreset('sde-ve', defaultSde('vp'))).toThrow(/for the VE SDE, but the model is vp/);
    expect(() => resolvePreset('sde-vp', defaultSde('ve'), { steps: 0 })).toThrow(/steps/);
    expect(() => resolvePreset('sde-vecs', defaultSde('ve'), { snr: 0 })).toThrow(/snr/);
  });
});
