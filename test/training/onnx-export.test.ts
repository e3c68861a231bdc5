/**
 * The training pipeline's ONNX export (contract C3) runs in onnxruntime-node with outputs matching torch.
 * Exports a seeded random tiny model via Debian's /usr/bin/python3 (torch 1.13) into a temp folder.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir';

interface ExportIo {
  batch: number;
  x: string;
  y: string;
  t: string;
  score: string;
}

const PYTHON = '/usr/bin/python3';
/** Relative tolerance on max |ORT - torch| / max |torch| (float32 kernels differ in summation order). */
const REL_TOL = 1e-4;

function f32(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

function exportModel(dir: string, extra: string[]): ExportIo {
  execFileSync(PYTHON, ['-m', 'training.export_check', '--out', dir, ...extra], {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, OMP_NUM_THREADS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  return JSON.parse(readFileSync(join(dir, 'io.json'), 'utf8')) as ExportIo;
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

describe.each([
  ['ve, float32 weights', ['--sde', 've']],
  ['vp, float16 weight storage', ['--sde', 'vp', '--fp16-weights']],
  ['shared residual denoiser as ve', ['--param', 'residual-edm', '--sde', 've', '--fp16-weights']],
  ['shared residual denoiser as vp', ['--param', 'residual-edm', '--sde', 'vp', '--fp16-weights']],
  ['shared residual denoiser as subvp', ['--param', 'residual-edm', '--sde', 'subvp', '--fp16-weights']],
])('training export (%s)', (_name, extra) => {
  const tmp = tempDir('facet-export-');
  let io: ExportIo;
  let session: ort.InferenceSession;

  beforeAll(async () => {
    io = exportModel(tmp.path, extra);
    session = await ort.InferenceSession.create(join(tmp.path, 'model.onnx'));
  });
  afterAll(() => tmp.remove());

  it('has the C3 inputs and output', () => {
    expect(session.inputNames).toEqual(['x', 'y', 't']);
    expect(session.outputNames).toEqual(['score']);
  });

  it('matches torch on the saved batch', async () => {
    const b = io.batch;
    const out = await session.run({
      x: new ort.Tensor('float32', f32(io.x), [b, 3, 128, 128]),
      y: new ort.Tensor('float32', f32(io.y), [b, 3, 128, 128]),
      t: new ort.Tensor('float32', f32(io.t), [b]),
    });
    const score = out['score']!;
    expect(score.dims).toEqual([b, 3, 128, 128]);
    const want = f32(io.score);
    expect(Math.max(...want.slice(0, 1000).map(Math.abs))).toBeGreaterThan(0);
    expect(maxRelDiff(score.data as Float32Array, want)).toBeLessThan(REL_TOL);
  });

  it('gives each batch item the same score alone as in the batch (dynamic batch)', async () => {
    const n = 3 * 128 * 128;
    const one = await session.run({
      x: new ort.Tensor('float32', f32(io.x).slice(n, 2 * n), [1, 3, 128, 128]),
      y: new ort.Tensor('float32', f32(io.y).slice(n, 2 * n), [1, 3, 128, 128]),
      t: new ort.Tensor('float32', f32(io.t).slice(1, 2), [1]),
    });
    const got = one['score']!.data as Float32Array;
    expect(maxRelDiff(got, f32(io.score).slice(n, 2 * n))).toBeLessThan(REL_TOL);
  });
});
