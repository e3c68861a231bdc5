/**
 * The evaluator's orchestration on synthetic faces with a small self-contained toolkit (box-filter LR, nearest
 * upscale, a Tweedie denoising "sampler" over the analytic model, per-face seeded noise). The real science toolkit
 * is exercised by eval-run.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { planMethods } from '../../../src/core/eval/protocol';
import { EvalResultsSchema, type EvalResults } from '../../../src/core/eval/schema';
import { markdownTable } from '../../../src/core/eval/table';
import type { RgbImage } from '../../../src/core/image/types';
import type { NoiseStream } from '../../../src/core/sampling/api';
import { analyticGaussianModel, perturbation } from '../../../src/main/eval/analytic-model';
import { pixelEmbedder } from '../../../src/main/eval/embedders';
import { evaluate, type EvalPeerUpscaler, type EvalToolkit } from '../../../src/main/eval/evaluator';
import type { FaceSet, LoadedFace } from '../../../src/main/eval/faces';
import { writeResults } from '../../../src/main/eval/write-results';
import { tempDir } from '../../helpers/temp-dir';

function resizeBox(img: RgbImage, f: number): RgbImage {
  const w = img.width / f;
  const out = new Float32Array(w * w * 3);
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++)
      for (let c = 0; c < 3; c++)
        out[(Math.floor(y / f) * w + Math.floor(x / f)) * 3 + c]! +=
          img.data[(y * img.width + x) * 3 + c]! / (f * f);
  return { width: w, height: w, data: out };
}

function nearestUp(img: RgbImage, f: number): RgbImage {
  const w = img.width * f;
  const out = new Float32Array(w * w * 3);
  for (let y = 0; y < w; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++)
        out[(y * w + x) * 3 + c] = img.data[(Math.floor(y / f) * img.width + Math.floor(x / f)) * 3 + c]!;
  return { width: w, height: w, data: out };
}

function mse255(a: RgbImage, b: RgbImage): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += (255 * (a.data[i]! - b.data[i]!)) ** 2;
  return s / a.data.length;
}

/** A seeded uniform-sum "normal" stream: deterministic per (seed, candidate), enough for orchestration tests. */
function lcgStream(seed: string, k: number): NoiseStream {
  let s = (BigInt(seed) * 6364136223846793005n + BigInt(k) + 1442695040888963407n) & 0xffffffffffffffffn;
  const u = (): number => {
    s = (s * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return Number(s >> 11n) / 2 ** 53;
  };
  return { next: (n) => Float32Array.from({ length: n }, () => u() + u() + u() - 1.5) };
}

const toolkit: EvalToolkit = {
  formLr: (hr) => {
    const d = resizeBox(hr, 8);
    return { ...d, data: d.data.map((v) => Math.floor(Math.min(1, Math.max(0, v)) * 255 + 0.5) / 255) };
  },
  conditioning: (lr) => nearestUp(lr, 8),
  psnr: (a, b) => {
    const m = mse255(a, b);
    return m === 0 ? Infinity : 10 * Math.log10((255 * 255) / m);
  },
  ssim: (a, b) => 1 / (1 + mse255(a, b)), // a monotone stand-in; the real SSIM is in core's tests
  consistency: (sr, lr) => mse255(resizeBox(sr, 8), lr),
  resolveSampler: (_p, o) => ({ kind: 'heun', steps: o.steps ?? 2, rho: 7, eps: 0.002, churn: 0 }),
  sample: async (req) => {
    // x(t) ~ N(y, v(t)) at t = 0.3 (sigma about 0.23), then `steps` Tweedie steps x <- x + v s(x, t).
    const n = 3 * 128 * 128;
    const B = req.noise.length;
    const { v } = perturbation(req.sde, 0.3);
    const x = new Float32Array(B * n);
    req.noise.forEach((z, b) => {
      const e = z.next(n);
      for (let i = 0; i < n; i++) x[b * n + i] = req.y.data[b * n + i]! + Math.sqrt(v) * e[i]!;
    });
    const steps = req.sampler.kind === 'heun' ? req.sampler.steps : 1;
    for (let k = 0; k < steps; k++) {
      const s = await req.score({ data: x, shape: [B, 3, 128, 128] }, req.y, new Float32Array(B).fill(0.3));
      for (let i = 0; i < x.length; i++) x[i]! += v * s[i]!;
    }
    return { data: x, shape: [B, 3, 128, 128] };
  },
  noise: lcgStream,
};

function syntheticSet(n: number): FaceSet {
  const face = (i: number, shift: number, role: string): LoadedFace => {
    const data = new Float32Array(128 * 128 * 3);
    for (let p = 0; p < 128 * 128; p++) {
      const x = p % 128;
      const y = Math.floor(p / 128);
      for (let c = 0; c < 3; c++) {
        const v = 0.5 + 0.4 * Math.sin((x + 13 * i) / (5 + i)) * Math.cos((y + shift) / (7 + c + i));
        data[p * 3 + c] = Math.round(v * 255) / 255;
      }
    }
    return {
      file: `${role}${i}.png`,
      identity: `id${i}`,
      sourceSha256: String(i % 10).repeat(64),
      hr: { width: 128, height: 128, data },
    };
  };
  return {
    name: 'synthetic',
    manifestSha256: 'f'.repeat(64),
    frame: 'synthetic sinusoids',
    probes: Array.from({ length: n }, (_, i) => face(i, 0, 'p')),
    gallery: Array.from({ length: n }, (_, i) => face(i, 2, 'g')),
  };
}

const model = analyticGaussianModel({ kind: 've', sigmaMin: 0.01, sigmaMax: 348 }, 0.1);
const producer = { implementation: 'typescript' as const, version: 't', runtime: 'node', device: 'cpu' };
const methods = planMethods({
  modelIds: [model.info.id],
  presets: ['fast'],
  rSweep: [],
  fastSteps: [1, 3],
  pcStepsSweep: [],
});

function strip(r: EvalResults): unknown {
  return { ...r, createdAt: '', methods: r.methods.map((m) => ({ ...m, seconds: 0 })) };
}

describe('evaluate (orchestration)', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it('scores bicubic, HR and the model methods, validates, and reproduces itself', async () => {
    const set = syntheticSet(5);
    const run = (batchSize: number) =>
      evaluate({
        set,
        baseSeed: '9',
        models: [model],
        embedder: pixelEmbedder,
        methods,
        toolkit,
        batchSize,
        command: 't',
        producer,
      });
    const r = await run(2);
    expect(EvalResultsSchema.safeParse(r).success).toBe(true);
    const byId = new Map(r.methods.map((m) => [m.id, m]));
    const hr = byId.get('hr')!;
    expect(hr.perFace.every((f) => f.psnr === null && Math.abs(f.cs - 1) < 1e-9)).toBe(true);
    expect(hr.summary.psnr.n).toBe(0);
    expect(hr.summary.rank1).toBe(1);
    expect(byId.get('bicubic')!.summary.consistency.mean).toBeLessThan(1e-6);
    const model3 = byId.get(`${model.info.id}/fast[N=3]`)!;
    expect(model3.nfe).toBe(3);
    expect(model3.tags).toEqual([{ experiment: 'nfe', family: 'fast', nfe: 3 }]);
    expect(r.protocol.faces.map((f) => f.seed)).toEqual(['9', '10', '11', '12', '13']);
    // Each face draws only from its own stream: the batch size changes nothing.
    expect(strip(await run(5))).toEqual(strip(r));
    // A different seed changes the model outputs but not the baselines.
    const other = await evaluate({
      set,
      baseSeed: '10',
      models: [model],
      embedder: pixelEmbedder,
      methods,
      toolkit,
      command: 't',
      producer,
    });
    expect(other.methods[2]!.perFace[0]!.outputSha256).not.toBe(r.methods[2]!.perFace[0]!.outputSha256);
    expect(other.methods[0]!.perFace[0]!.outputSha256).toBe(r.methods[0]!.perFace[0]!.outputSha256);

    const files = await writeResults(tmp.path, r);
    expect(files).toEqual([
      'results.json',
      'results.md',
      'fig5-cs-psnr.svg',
      'fig5-cs-psnr.png',
      'quality-vs-nfe.svg',
      'quality-vs-nfe.png',
    ]);
    const back = EvalResultsSchema.parse(JSON.parse(readFileSync(join(tmp.path, 'results.json'), 'utf8')));
    expect(strip(back)).toEqual(strip(r));
    const png = await sharp(join(tmp.path, 'quality-vs-nfe.png')).metadata();
    expect(png.format).toBe('png');
    expect(png.width).toBeGreaterThan(1000);
    expect(readFileSync(join(tmp.path, 'results.md'), 'utf8')).toMatch(/not trained on faces/);
  });

  it('scores the pixel mean of K candidates as its own row (streams (seed, k), K times the NFE)', async () => {
    const set = syntheticSet(3);
    const plan = planMethods({
      modelIds: [model.info.id],
      presets: ['fast'],
      rSweep: [],
      fastSteps: [],
      pcStepsSweep: [],
      candidateMean: 4,
    });
    const ids = plan.map((m) => m.id);
    expect(ids).toEqual(['bicubic', 'hr', `${model.info.id}/fast`, `${model.info.id}/fast[K=4]`]);
    expect(plan[3]!.label).toBe('Fast (mean of 4)');
    // A "sampler" that returns y plus noise of std 0.2 and calls the score once: averaging 4 independent
    // candidates halves the noise, so PSNR against the (nearest-upscaled) truth must rise.
    const noisy: EvalToolkit = {
      ...toolkit,
      sample: async (req) => {
        const n = 3 * 128 * 128;
        const x = new Float32Array(req.noise.length * n);
        req.noise.forEach((z, b) => {
          const e = z.next(n);
          for (let i = 0; i < n; i++) x[b * n + i] = req.y.data[b * n + i]! + 0.2 * e[i]!;
        });
        await req.score({ data: x, shape: [req.noise.length, 3, 128, 128] }, req.y, new Float32Array(1));
        return { data: x, shape: [req.noise.length, 3, 128, 128] };
      },
    };
    const r = await evaluate({
      set,
      baseSeed: '3',
      models: [model],
      embedder: pixelEmbedder,
      methods: plan,
      toolkit: noisy,
      command: 't',
      producer,
    });
    const one = r.methods[2]!;
    const mean = r.methods[3]!;
    expect(one.nfe).toBe(1);
    expect(mean.nfe).toBe(4);
    expect(mean.summary.psnr.mean!).toBeGreaterThan(one.summary.psnr.mean! + 1.5);
    expect(mean.perFace[0]!.outputSha256).not.toBe(one.perFace[0]!.outputSha256);
  });

  it('scores a peer upscaler on the LR as its own row, and the streak column against the HR', async () => {
    const set = syntheticSet(3);
    const plan = planMethods({
      modelIds: [],
      presets: [],
      rSweep: [],
      fastSteps: [],
      pcStepsSweep: [],
      peers: [{ id: 'streaky-x8', label: 'Streaky x8' }],
    });
    expect(plan.map((m) => [m.id, m.kind])).toEqual([
      ['bicubic', 'bicubic'],
      ['hr', 'hr'],
      ['streaky-x8', 'peer'],
    ]);
    // A made peer: nearest upscale with vertical stripes painted over the top 27 rows (as learned padding would),
    // values outside [0,1] that the harness must clamp and round.
    const seen: number[] = [];
    const streaky: EvalPeerUpscaler = {
      info: { id: 'streaky-x8', package: 'made', version: '0', sha256: 'e'.repeat(64), note: 'test' },
      label: 'Streaky x8',
      upscale: async (lr) => {
        seen.push(lr.length);
        return lr.map((l) => {
          const up = nearestUp(l, 8);
          const data = up.data.map((v, i) => {
            const p = Math.floor(i / 3);
            return Math.floor(p / 128) < 27 ? ((p % 128) % 2) * 1.2 - 0.1 : v;
          });
          return { ...up, data };
        });
      },
    };
    const r = await evaluate({
      set,
      baseSeed: '3',
      models: [],
      peers: [streaky],
      embedder: pixelEmbedder,
      methods: plan,
      toolkit,
      batchSize: 2,
      command: 't',
      producer,
    });
    expect(EvalResultsSchema.safeParse(r).success).toBe(true);
    expect(seen).toEqual([2, 1]);
    expect(r.protocol.peers).toEqual([streaky.info]);
    const [bicubic, hr, peer] = r.methods;
    expect(peer).toMatchObject({ kind: 'peer', modelId: null, preset: null, sampler: null, nfe: 0 });
    expect(hr!.summary.streak).toBe(1);
    expect(peer!.summary.streak!).toBeGreaterThan(10);
    expect(bicubic!.summary.streak!).toBeLessThan(peer!.summary.streak!);
    expect(peer!.perFace.every((f) => f.gradientRatio! > 0)).toBe(true);
    expect(markdownTable(r.methods)).toMatch(/\| Streaky x8 \| .* \| 0 \| \d+\.\d{3} \|$/m);
    const noPeer = {
      set,
      baseSeed: '3',
      models: [],
      embedder: pixelEmbedder,
      methods: plan,
      toolkit,
      command: 't',
    };
    await expect(evaluate({ ...noPeer, producer })).rejects.toThrow(/needs peer streaky-x8/);
  });

  it('names a method whose model is not loaded', async () => {
    const bad = planMethods({
      modelIds: ['ghost'],
      presets: ['fast'],
      rSweep: [],
      fastSteps: [],
      pcStepsSweep: [],
    });
    await expect(
      evaluate({
        set: syntheticSet(2),
        baseSeed: '0',
        models: [],
        embedder: pixelEmbedder,
        methods: bad,
        toolkit,
        command: 't',
        producer,
      }),
    ).rejects.toThrow(/needs model ghost/);
  });
});
