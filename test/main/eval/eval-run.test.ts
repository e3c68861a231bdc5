/**
 * The harness end to end with the real science (src/core: C2, samplers, C5 noise, metrics) on 8 faces of
 * eval/celeba with the analytic test model: it completes well inside the CI budget, its JSON validates against the
 * schema, and a re-run reproduces every number and output hash.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planMethods } from '../../../src/core/eval/protocol';
import { EvalResultsSchema, type EvalResults } from '../../../src/core/eval/schema';
import { analyticGaussianModel } from '../../../src/main/eval/analytic-model';
import { coreToolkit } from '../../../src/main/eval/core-toolkit';
import { pixelEmbedder } from '../../../src/main/eval/embedders';
import { evaluate, type EvalRun } from '../../../src/main/eval/evaluator';
import { loadCelebaSet } from '../../../src/main/eval/faces';
import { writeResults } from '../../../src/main/eval/write-results';
import { tempDir } from '../../helpers/temp-dir';

const shared = process.env.FACET_SHARED_DIR ?? join(import.meta.dirname, '../../../../shared');
const celeba = join(shared, 'data/eval/celeba');

function strip(r: EvalResults): unknown {
  return { ...r, createdAt: '', methods: r.methods.map((m) => ({ ...m, seconds: 0 })) };
}

describe.skipIf(!existsSync(celeba))('facet eval harness on 8 eval/celeba faces (analytic model)', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it('runs Table I, the r sweep and the NFE sweep, validates, and reproduces', async () => {
    const t0 = Date.now();
    const set = await loadCelebaSet(celeba, 8);
    // The gallery holds all 200 identities, each by a photo other than the probe's; HR crops hold 8-bit values.
    expect(set.gallery).toHaveLength(200);
    for (const p of set.probes) {
      const g = set.gallery.find((x) => x.identity === p.identity);
      expect(g && g.file !== p.file).toBe(true);
      expect(p.hr.data.every((v) => Math.abs(v * 255 - Math.round(v * 255)) < 1e-4)).toBe(true);
    }
    const model = analyticGaussianModel({ kind: 've', sigmaMin: 0.01, sigmaMax: 348 }, 0.1);
    const run: EvalRun = {
      set,
      baseSeed: '2022',
      models: [model],
      embedder: pixelEmbedder,
      methods: planMethods({
        modelIds: [model.info.id],
        presets: ['fast', 'sde-ve', 'sde-vecs'],
        pcSteps: 20,
        rSweep: [0.05, 0.3],
        fastSteps: [5],
        pcStepsSweep: [10],
      }),
      toolkit: coreToolkit,
      command: 'vitest eval-run',
      producer: { implementation: 'typescript', version: 'test', runtime: 'node', device: 'cpu' },
    };
    const r = await evaluate(run);
    expect(EvalResultsSchema.safeParse(JSON.parse(JSON.stringify(r))).success).toBe(true);
    const by = new Map(r.methods.map((m) => [m.id, m]));
    const bic = by.get('bicubic')!.summary;
    // The analytic model samples bicubic + N(0, 0.1^2) noise: clearly worse PSNR than bicubic, and its outputs
    // differ from face to face and from bicubic.
    const ve = by.get(`${model.info.id}/sde-ve[N=20]`)!;
    expect(ve.nfe).toBe(20);
    expect(ve.summary.psnr.mean!).toBeLessThan(bic.psnr.mean! - 3);
    expect(by.get(`${model.info.id}/sde-vecs[N=20,r=0.3]`)!.nfe).toBe(40);
    expect(by.get(`${model.info.id}/fast`)!.nfe).toBeGreaterThan(0);
    expect(bic.psnr.mean!).toBeGreaterThan(18);
    expect(bic.psnr.mean!).toBeLessThan(35);
    // Consistency (C2): noise added to bicubic only adds error after downscaling, in expectation.
    expect(bic.consistency.mean!).toBeGreaterThan(0);
    expect(ve.summary.consistency.mean!).toBeGreaterThan(bic.consistency.mean!);
    // CS of the HR with itself is 1 (the upper bound); rank-1 with the pixel stand-in is near chance.
    expect(by.get('hr')!.summary.cs.mean!).toBeCloseTo(1, 9);
    const again = await evaluate(run);
    expect(strip(again)).toEqual(strip(r));
    const files = await writeResults(process.env.EVAL_RUN_OUT ?? tmp.path, r);
    expect(files).toContain('fig4-r-sweep.png');
    expect(readFileSync(join(process.env.EVAL_RUN_OUT ?? tmp.path, 'results.md'), 'utf8')).toMatch(
      /not trained on faces/,
    );
    expect(Date.now() - t0).toBeLessThan(120_000);
  });
});
