/** The enhancement path end to end: core sampler + ORT score model in the worker, with the analytic test models. */
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { formLr, quantise8 } from '../../../src/core/image/lr';
import type { RgbImage } from '../../../src/core/image/types';
import type { SamplerConfig } from '../../../src/core/sampling/api';
import { FAST_SIGMA_END, fastEndTime } from '../../../src/core/sampling';
import { defaultSde } from '../../../src/core/sde';
import { RunSettingsSchema, type RunSettings } from '../../../src/shared/contract/run-params';
import { enhance, type EnhanceResult } from '../../../src/main/inference/enhance';
import { InferenceEngine } from '../../../src/main/inference/engine';
import { createInferenceExecutor } from '../../../src/main/inference/executor';
import { lrFromImage } from '../../../src/main/inference/lr-input';
import { ModelRegistry } from '../../../src/main/inference/registry';
import type { EngineProgress } from '../../../src/main/inference/protocol';
import { testModel } from './fixtures';

const engine = new InferenceEngine();
afterAll(() => engine.close());

/** A smooth synthetic 128x128 "face": gradients, so LR and bicubic are non-trivial. */
function face(): RgbImage {
  const data = new Float32Array(128 * 128 * 3);
  for (let y = 0; y < 128; y++) {
    for (let x = 0; x < 128; x++) {
      const i = (y * 128 + x) * 3;
      data[i] = 0.2 + 0.6 * (x / 127);
      data[i + 1] = 0.3 + 0.4 * Math.sin((y / 127) * Math.PI);
      data[i + 2] = 0.5 + 0.3 * Math.cos(((x + y) / 254) * Math.PI);
    }
  }
  return { width: 128, height: 128, data };
}
const crop = face();
const lr = formLr(crop);

const settings = (over: Partial<RunSettings> = {}): RunSettings =>
  RunSettingsSchema.parse({
    modelId: 'analytic-ve',
    preset: 'fast',
    steps: 6,
    candidates: 4,
    seed: '42',
    threads: 1,
    ...over,
  });

async function done(s: RunSettings, model = 'analytic-ve', memoryCapBytes?: number): Promise<EnhanceResult> {
  const out = await enhance(engine, { settings: s, model: testModel(model), lr, crop, memoryCapBytes });
  if (out.status !== 'done') throw new Error('unexpectedly cancelled');
  return out.result;
}

/** Network evaluations a sampler makes (Heun: 2N - 1; DPM-Solver: N; PC: N (1 + M)). */
function expectedNfe(s: SamplerConfig): number {
  if (s.kind === 'heun') return 2 * s.steps - 1;
  if (s.kind === 'dpm-solver') return s.steps;
  return s.steps * (1 + (s.corrector === 'none' ? 0 : s.correctorSteps));
}

const hash = (img: RgbImage): string =>
  createHash('sha256').update(new Uint8Array(img.data.buffer)).digest('hex');

describe('enhance (worker + core sampler + ORT)', () => {
  it('samples the analytic Gaussian: candidates = bicubic + the exact flow denoised at FAST_SIGMA_END', async () => {
    // The fast preset with its own step count (an ODE sampler: its error at the preset's steps must be small).
    // Data = bicubic + N(0, s0^2), s0 = 0.1; the flow's clean estimate at sigma e has std s0^2 / sqrt(s0^2 + e^2).
    const r = await done(settings({ steps: undefined }));
    expect(r.candidates).toHaveLength(4);
    let sum = 0;
    let sq = 0;
    let n = 0;
    for (const c of r.candidates) {
      for (let i = 0; i < c.data.length; i++) {
        const b = r.bicubic.data[i]!;
        if (b < 0.35 || b > 0.65) continue; // away from the clamp at 0 and 1
        const d = c.data[i]! - b;
        sum += d;
        sq += d * d;
        n++;
      }
    }
    expect(n).toBeGreaterThan(10_000);
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    const expected = 0.01 / Math.sqrt(0.01 + FAST_SIGMA_END ** 2);
    expect(Math.abs(Math.sqrt(sq / n - (sum / n) ** 2) - expected)).toBeLessThan(0.003);
    expect(r.meanStd).toBeGreaterThan(0.03); // candidates differ by about that std
    expect(r.consistency.every((c) => c > 0 && Number.isFinite(c))).toBe(true);
    const nfe = expectedNfe(r.record.sampler);
    expect(r.telemetry).toMatchObject({ provider: 'cpu', nfe, ortCalls: nfe, maxBatch: 4 });
    expect(r.record).toMatchObject({
      model: { id: 'analytic-ve', sha256: testModel('analytic-ve').manifest.sha256 },
      preset: 'fast',
      sde: { kind: 've', sigmaMin: 0.01, sigmaMax: 348 },
      sampler: { kind: 'dpm-solver', eps: fastEndTime(defaultSde('ve')) },
      seed: '42',
      candidates: 4,
      provider: 'cpu',
      threads: 1,
      inputCropSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      lrSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('is deterministic: same seed, same pixels; another seed, other pixels', async () => {
    const a = await done(settings());
    const b = await done(settings());
    const c = await done(settings({ seed: '43' }));
    expect(a.candidates.map(hash)).toEqual(b.candidates.map(hash));
    expect(hash(a.uncertainty)).toBe(hash(b.uncertainty));
    expect(hash(c.candidates[0]!)).not.toBe(hash(a.candidates[0]!));
  });

  it('candidate k is the same alone, in a batch of 4, and with the batch split by a memory cap', async () => {
    const four = await done(settings({ candidates: 4 }));
    const one = await done(settings({ candidates: 1 }));
    const three = await done(settings({ candidates: 3 }));
    const split = await done(settings({ candidates: 4 }), 'analytic-ve', 1);
    expect(hash(one.candidates[0]!)).toBe(hash(four.candidates[0]!));
    expect(three.candidates.map(hash)).toEqual(four.candidates.slice(0, 3).map(hash));
    expect(split.candidates.map(hash)).toEqual(four.candidates.map(hash));
    const nfe = expectedNfe(split.record.sampler);
    expect(split.telemetry).toMatchObject({ maxBatch: 1, nfe, ortCalls: 4 * nfe });
    expect(new Set(four.candidates.map(hash)).size).toBe(4);
  });

  it('candidate k is the same alone and batched on a real conv net too (tiny-conv, random weights)', async () => {
    const conv = (candidates: number): RunSettings =>
      settings({ modelId: 'tiny-conv', steps: 4, candidates, threads: 2 });
    const four = await done(conv(4), 'tiny-conv');
    const one = await done(conv(1), 'tiny-conv');
    expect(hash(one.candidates[0]!)).toBe(hash(four.candidates[0]!));
    expect(new Set(four.candidates.map(hash)).size).toBe(4);
  });

  it('LR data consistency makes every candidate consistent with the LR and is recorded', async () => {
    const free = await done(settings());
    const dc = await done(settings({ dataConsistency: true }));
    expect(dc.record.dataConsistency).toBe(true);
    expect(free.record.dataConsistency).toBe(false);
    // The analytic model's candidates are bicubic + noise: far from consistent without the projection.
    for (const c of free.consistency) expect(c).toBeGreaterThan(0.5);
    // With it, downscale(SR) equals the LR up to clamping to [0,1] and float rounding.
    for (const c of dc.consistency) expect(c).toBeLessThan(0.05);
  });

  it('runs the paper PC presets on VP and subVP models', async () => {
    const vp = await done(
      settings({ modelId: 'analytic-vp', preset: 'sde-vp', steps: 40, candidates: 2 }),
      'analytic-vp',
    );
    expect(vp.record.sampler).toMatchObject({
      kind: 'pc',
      predictor: 'euler-maruyama',
      steps: 40,
      eps: 1e-3,
    });
    expect(vp.telemetry.nfe).toBe(40);
    const sub = await done(settings({ preset: 'sde-subvp', steps: 30, candidates: 1 }), 'analytic-subvp');
    expect(sub.record.sde.kind).toBe('subvp');
    await expect(done(settings({ preset: 'sde-vp' }))).rejects.toThrow(
      /Preset sde-vp is for the VP SDE, but the model is ve/,
    );
  });

  it('cancels mid-run within a step and then runs again', async () => {
    const ac = new AbortController();
    const seen: EngineProgress[] = [];
    const out = await enhance(
      engine,
      {
        settings: settings({ preset: 'sde-ve', steps: 2000, candidates: 2 }),
        model: testModel('analytic-ve'),
        lr,
        crop,
      },
      {
        signal: ac.signal,
        onProgress: (p) => {
          seen.push(p);
          if (p.step >= 2) ac.abort();
        },
      },
    );
    expect(out.status).toBe('cancelled');
    expect(seen.at(-1)!.step).toBeLessThan(2000);
    expect(seen.at(-1)!.total).toBe(2000);
    const again = await done(settings({ candidates: 1 }));
    expect(again.candidates).toHaveLength(1);
  });

  it('the executor reports progress, rejects cancel with code "cancelled", and its result matches enhance', async () => {
    const exec = createInferenceExecutor({
      engine,
      registry: new ModelRegistry([{ ...testModel('analytic-ve'), isTestModel: true }]),
    });
    const progress: EngineProgress[] = [];
    const job = {
      settings: { ...settings(), seed: '42' },
      plan: exec.plan({ ...settings(), seed: '42' }),
      lr,
      crop,
    };
    expect(job.plan).toMatchObject({ model: { id: 'analytic-ve' }, seed: '42', candidates: 4 });
    const r = await exec.execute(
      { runId: 'r1', ...job },
      { onProgress: (p) => progress.push(p), signal: new AbortController().signal },
    );
    expect(progress.at(-1)).toMatchObject({ step: 6, total: 6 });
    expect(r.candidates.map(hash)).toEqual((await done(settings())).candidates.map(hash));
    expect(r.consistency).toHaveLength(4);
    const ac = new AbortController();
    ac.abort();
    await expect(
      exec.execute({ runId: 'r2', ...job }, { onProgress: () => {}, signal: ac.signal }),
    ).rejects.toMatchObject({
      code: 'cancelled',
    });
    // A plan is executed only on the model it names, bit for bit the same file.
    await expect(
      exec.execute(
        { runId: 'r3', ...job, plan: { ...job.plan, model: { ...job.plan.model, sha256: '0'.repeat(64) } } },
        { onProgress: () => {}, signal: new AbortController().signal },
      ),
    ).rejects.toThrow(/Model analytic-ve is not the one planned/);
  });
});

describe('lrFromImage', () => {
  it('forms the LR of a 128x128 crop by C2, takes a 16x16 as the LR, resizes other squares, rejects the rest', () => {
    // The crop is put on the 8-bit grid first (as a case stores it), so the LR is C2 of the stored crop.
    const fromCrop = lrFromImage(crop, false);
    expect(fromCrop.crop!.data).toEqual(quantise8(crop).data);
    expect(fromCrop.lr.data).toEqual(formLr(quantise8(crop)).data);
    const small = { width: 16, height: 16, data: new Float32Array(16 * 16 * 3).fill(0.5004) };
    const asLr = lrFromImage(small, true);
    expect(asLr.crop).toBeNull();
    expect(asLr.lr.data[0]).toBeCloseTo(128 / 255, 7);
    expect(() => lrFromImage(crop, true)).toThrow('--lr16 expects a 16x16 image; this one is 128x128.');
    const big = { width: 256, height: 256, data: new Float32Array(256 * 256 * 3).fill(0.5) };
    expect(lrFromImage(big, false).notes).toEqual(['crop resized from 256x256 to 128x128 (C2 bicubic)']);
    const wide = { width: 200, height: 100, data: new Float32Array(200 * 100 * 3) };
    expect(() => lrFromImage(wide, false)).toThrow(/aligned square face crop .* 200x100/);
  });
});
