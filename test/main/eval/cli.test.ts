/** `facet eval` in-process: a small run writes validated results, `report` redraws them, bad input is named. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { evalCommand } from '../../../src/cli/commands/eval';
import { EvalResultsSchema } from '../../../src/core/eval/schema';
import { tempDir } from '../../helpers/temp-dir';

const root = resolve(import.meta.dirname, '../../..');
const shared = process.env.FACET_SHARED_DIR ?? join(root, '../shared');

describe.skipIf(!existsSync(join(shared, 'data/eval/celeba')))('facet eval', () => {
  const tmp = tempDir();
  const env = process.env.FACET_SHARED_DIR;
  beforeAll(() => {
    process.env.FACET_SHARED_DIR = shared;
    vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterAll(() => {
    if (env === undefined) delete process.env.FACET_SHARED_DIR;
    else process.env.FACET_SHARED_DIR = env;
    vi.restoreAllMocks();
    tmp.remove();
  });

  it('runs, writes validated results and figures, and redraws them from the JSON', async () => {
    const out = join(tmp.path, 'run');
    const crops = join(tmp.path, 'crops');
    const code = await evalCommand([
      'run',
      '--faces',
      '2',
      '--model',
      'analytic-ve',
      '--presets',
      'fast',
      '--fast-steps',
      '2,4',
      '--seed',
      '5',
      '--save-crops',
      crops,
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    const r = EvalResultsSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
    // The peer row is on by default where its devDependencies are installed (npm ci installs them).
    expect(r.methods.map((m) => m.id)).toEqual([
      'bicubic',
      'hr',
      'esrgan-thick-x8',
      'analytic-gaussian-ve/fast',
      'analytic-gaussian-ve/fast[N=2]',
      'analytic-gaussian-ve/fast[N=4]',
    ]);
    expect(r.command).toMatch(/^facet eval run --faces 2 --model analytic-ve/);
    expect(r.methods[2]).toMatchObject({ kind: 'peer', label: 'ESRGAN-thick x8 (general upscaler)', nfe: 0 });
    expect(r.protocol.peers?.[0]).toMatchObject({
      id: 'esrgan-thick-x8',
      package: '@upscalerjs/esrgan-thick',
    });
    // Every row carries the streak column; HR's is 1 by definition.
    expect(r.methods[1]!.summary.streak).toBeCloseTo(1, 12);
    for (const m of r.methods) expect(m.summary.streak).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toMatch(
      /\| ESRGAN-thick x8 \(general upscaler\) \| .* \| 0 \| \d\.\d{3} \|/,
    );
    expect(readdirSync(crops).filter((f) => f.endsWith('.png'))).toHaveLength(2 + 200);
    // The same faces from the crops folder give the same HR and LR hashes.
    const out2 = join(tmp.path, 'run2');
    expect(
      await evalCommand([
        'run',
        '--crops',
        crops,
        '--embedder',
        'pixel',
        '--model',
        'analytic-ve',
        '--presets',
        'fast',
        '--seed',
        '5',
        '--peer',
        'none',
        '--out',
        out2,
      ]),
    ).toBe(0);
    const r2 = EvalResultsSchema.parse(JSON.parse(readFileSync(join(out2, 'results.json'), 'utf8')));
    expect(r2.protocol.faces.map((f) => [f.hrSha256, f.lrSha256])).toEqual(
      r.protocol.faces.map((f) => [f.hrSha256, f.lrSha256]),
    );
    const fast = (x: typeof r) => x.methods.find((m) => m.id === 'analytic-gaussian-ve/fast')!;
    expect(fast(r2).perFace.map((f) => f.outputSha256)).toEqual(fast(r).perFace.map((f) => f.outputSha256));

    const redraw = join(tmp.path, 'redraw');
    expect(await evalCommand(['report', join(out, 'results.json'), '--out', redraw])).toBe(0);
    expect(readdirSync(redraw).sort()).toEqual([
      'fig5-cs-psnr.png',
      'fig5-cs-psnr.svg',
      'quality-vs-nfe.png',
      'quality-vs-nfe.svg',
      'results.json',
      'results.md',
    ]);
    // The default peer row (ESRGAN-thick x8 on 2 faces) adds a model load and two inferences.
  }, 300_000);

  it('runs a C3 ONNX model through onnxruntime-node, matching the same analytic score in TypeScript', async () => {
    const common = [
      '--peer',
      'none',
      '--faces',
      '2',
      '--presets',
      'sde-ve',
      '--pc-steps',
      '10',
      '--seed',
      '1',
      '--embedder',
      'pixel',
    ];
    const onnxOut = join(tmp.path, 'onnx');
    const fixture = join(root, 'test/fixtures/models/analytic-ve.json');
    expect(await evalCommand(['run', ...common, '--model', fixture, '--out', onnxOut])).toBe(0);
    const tsOut = join(tmp.path, 'ts');
    expect(
      await evalCommand(['run', ...common, '--model', 'analytic-ve', '--tau', '0.1', '--out', tsOut]),
    ).toBe(0);
    const a = EvalResultsSchema.parse(JSON.parse(readFileSync(join(onnxOut, 'results.json'), 'utf8')));
    const b = EvalResultsSchema.parse(JSON.parse(readFileSync(join(tsOut, 'results.json'), 'utf8')));
    expect(a.protocol.models[0]).toMatchObject({ id: 'analytic-ve', trainedOnFaces: false });
    expect(a.protocol.models[0]!.note).toMatch(/^NOT trained on faces/);
    expect(readFileSync(join(onnxOut, 'results.md'), 'utf8')).toMatch(
      /Model `analytic-ve` is not trained on faces/,
    );
    const psnr = (r: typeof a) => r.methods[2]!.perFace.map((f) => f.psnr!);
    psnr(a).forEach((v, i) => expect(Math.abs(v - psnr(b)[i]!)).toBeLessThan(0.01));
  });

  it('names bad input', async () => {
    await expect(evalCommand(['run', '--seed', '-1'])).rejects.toThrow(/--seed/);
    await expect(evalCommand(['run', '--faces', '0'])).rejects.toThrow(
      /--faces: 0 is not a positive integer/,
    );
    await expect(evalCommand(['run', '--model', 'nope', '--faces', '1'])).rejects.toThrow(
      /No score model "nope"/,
    );
    await expect(evalCommand(['run', '--bogus'])).rejects.toThrow(/bogus/);
    await expect(evalCommand(['run', '--peer', 'bogus'])).rejects.toThrow(/--peer: unknown peer bogus/);
    await expect(evalCommand(['report', join(root, 'package.json')])).rejects.toThrow(/not a results file/);
    expect(await evalCommand(['what'])).toBe(2);
  });
});
