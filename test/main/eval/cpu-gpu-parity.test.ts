/**
 * The CPU path (`facet eval`, TypeScript) and the GPU path (`training.evaluation.run`, Python/torch, here on the
 * CPU) agree on a small shared run: same crops (4 eval/celeba probes + the 200-identity gallery), same analytic
 * model, same seeds, SDE-VE and SDE-VEcs at N = 20 and the 'fast' preset (DPM-Solver++ 3M, 25 NFE). Stated tolerance per face: |dPSNR| < 0.01 dB, |dSSIM| < 1e-4,
 * |dconsistency| < 0.05, |dCS| < 1e-4, relative |d gradient ratio| < 1e-3 (the streak check); HR and LR hashes
 * identical (the shared crops and the C2 operator).
 * Measured when written: HR/LR and SDE-VE outputs bit-identical, SDE-VEcs within 3e-6 dB.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planMethods } from '../../../src/core/eval/protocol';
import { EvalResultsSchema } from '../../../src/core/eval/schema';
import { analyticGaussianModel } from '../../../src/main/eval/analytic-model';
import { coreToolkit } from '../../../src/main/eval/core-toolkit';
import { pixelEmbedder } from '../../../src/main/eval/embedders';
import { evaluate } from '../../../src/main/eval/evaluator';
import { loadCelebaSet, loadCropsSet, saveCrops } from '../../../src/main/eval/faces';
import { tempDir } from '../../helpers/temp-dir';

const root = resolve(import.meta.dirname, '../../..');
const shared = process.env.FACET_SHARED_DIR ?? join(root, '../shared');
const celeba = join(shared, 'data/eval/celeba');
// The Python reference samplers come from the training package (training/samplers.py).
const ready = existsSync(celeba) && existsSync(join(root, 'training/samplers.py'));

describe.skipIf(!ready)('CPU (TypeScript) and GPU (Python) evaluators agree on a shared run', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it('gives the same faces, LR and metrics within the stated tolerance', async () => {
    const crops = join(tmp.path, 'crops');
    await saveCrops(await loadCelebaSet(celeba, 4), crops);
    const set = await loadCropsSet(crops);
    const model = analyticGaussianModel({ kind: 've', sigmaMin: 0.01, sigmaMax: 348 }, 0.1);
    const opts = { presets: ['sde-ve', 'sde-vecs', 'fast'] as const, pcSteps: 20 };
    const ts = await evaluate({
      set,
      baseSeed: '3',
      models: [model],
      embedder: pixelEmbedder,
      methods: planMethods({
        modelIds: [model.info.id],
        presets: [...opts.presets],
        pcSteps: opts.pcSteps,
        rSweep: [],
        fastSteps: [],
        pcStepsSweep: [],
      }),
      toolkit: coreToolkit,
      command: 'parity',
      producer: { implementation: 'typescript', version: 't', runtime: 'node', device: 'cpu' },
    });
    const out = join(tmp.path, 'py');
    execFileSync(
      '/usr/bin/python3',
      [
        '-m',
        'training.evaluation.run',
        '--crops',
        crops,
        '--model',
        'analytic-ve',
        '--presets',
        opts.presets.join(','),
        '--pc-steps',
        '20',
        '--seed',
        '3',
        '--device',
        'cpu',
        '--out',
        out,
      ],
      { cwd: root, env: { ...process.env, OMP_NUM_THREADS: '1', FACET_SHARED_DIR: shared }, stdio: 'pipe' },
    );
    const py = EvalResultsSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
    expect(py.producer.implementation).toBe('python');
    expect(py.protocol.faces.map((f) => [f.hrSha256, f.lrSha256, f.seed])).toEqual(
      ts.protocol.faces.map((f) => [f.hrSha256, f.lrSha256, f.seed]),
    );
    expect(py.protocol.models).toEqual(ts.protocol.models);
    expect(py.methods.map((m) => [m.id, m.nfe, m.sampler])).toEqual(
      ts.methods.map((m) => [m.id, m.nfe, m.sampler]),
    );
    ts.methods.forEach((m, i) => {
      m.perFace.forEach((f, j) => {
        const g = py.methods[i]!.perFace[j]!;
        expect(Math.abs((f.psnr ?? 0) - (g.psnr ?? 0))).toBeLessThan(0.01);
        expect(f.psnr === null).toBe(g.psnr === null);
        expect(Math.abs(f.ssim - g.ssim)).toBeLessThan(1e-4);
        expect(Math.abs(f.consistency - g.consistency)).toBeLessThan(0.05);
        expect(Math.abs(f.cs - g.cs)).toBeLessThan(1e-4);
        expect(g.rank1Identity).toBe(f.rank1Identity);
        // Streak check (issue 27): the same definition in both; outputs agree to within 8-bit rounding.
        expect(Math.abs(f.gradientRatio! - g.gradientRatio!)).toBeLessThan(1e-3 * f.gradientRatio!);
      });
      expect(Math.abs(m.summary.streak! - py.methods[i]!.summary.streak!)).toBeLessThan(1e-3);
    });
    expect(py.methods.find((m) => m.kind === 'hr')!.summary.streak).toBeCloseTo(1, 12);
  });
});
