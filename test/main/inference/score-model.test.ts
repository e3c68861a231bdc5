import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SamplingCancelled } from '../../../src/core/sampling/api';
import { sha256Hex } from '../../../src/main/crypto';
import { ITEM_VALUES, OrtScoreModel } from '../../../src/main/inference/score-model';
import { tempDir } from '../../helpers/temp-dir';
import { testModel } from './fixtures';

const tmp = tempDir();
afterAll(() => tmp.remove());

function batch(b: number, f: (i: number) => number): { data: Float32Array; shape: number[] } {
  const data = new Float32Array(b * ITEM_VALUES);
  for (let i = 0; i < data.length; i++) data[i] = f(i);
  return { data, shape: [b, 3, 128, 128] };
}

describe('OrtScoreModel', () => {
  it('computes the analytic VE score in one ORT call for the whole batch', async () => {
    const m = await OrtScoreModel.open(testModel('analytic-ve'), { provider: 'cpu', threads: 1 });
    const x = batch(3, (i) => (i % 97) / 97);
    const y = batch(3, (i) => (i % 13) / 13);
    const t = new Float32Array([1, 0.5, 0.01]);
    const s = await m.scoreFn()(x, y, t);
    for (const [k, i] of [
      [0, 5],
      [1, 1234],
      [2, 40000],
    ] as const) {
      const sigma = 0.01 * (348 / 0.01) ** t[k]!;
      const j = k * ITEM_VALUES + i;
      const expected = -(x.data[j]! - y.data[j]!) / (0.01 + sigma * sigma);
      expect(s[j]).toBeCloseTo(expected, 5);
    }
    expect(m.stats).toMatchObject({ nfe: 1, ortCalls: 1 });
    expect(m.provider).toBe('cpu');
    await m.release();
  });

  it('splits the batch under a memory cap and gives the same scores', async () => {
    const whole = await OrtScoreModel.open(testModel('analytic-vp'), { provider: 'cpu', threads: 1 });
    const capped = await OrtScoreModel.open(testModel('analytic-vp'), {
      provider: 'cpu',
      threads: 1,
      memoryCapBytes: 1,
    });
    expect(capped.maxBatch()).toBe(1);
    const x = batch(4, (i) => Math.sin(i));
    const y = batch(4, (i) => (i % 7) / 7);
    const t = new Float32Array([0.9, 0.5, 0.2, 0.001]);
    const a = await whole.scoreFn()(x, y, t);
    const b = await capped.scoreFn()(x, y, t);
    expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
    expect(whole.stats.ortCalls).toBe(1);
    expect(capped.stats).toMatchObject({ nfe: 1, ortCalls: 4 });
    expect(capped.stats.peakRssBytes).toBeGreaterThan(0);
  });

  it('gives an item the same bits alone or in a batch, on real convolutions (C5 batch invariance)', async () => {
    const m = await OrtScoreModel.open(testModel('tiny-conv'), { provider: 'cpu', threads: 2 });
    const x = batch(4, (i) => Math.sin(i * 0.37));
    const y = batch(4, (i) => Math.cos(i * 0.11));
    const t = new Float32Array([0.9, 0.5, 0.2, 0.01]);
    const all = await m.scoreFn()(x, y, t);
    for (let k = 0; k < 4; k++) {
      const span = [k * ITEM_VALUES, (k + 1) * ITEM_VALUES] as const;
      const one = await m.scoreFn()(
        { data: x.data.slice(...span), shape: [1, 3, 128, 128] },
        { data: y.data.slice(...span), shape: [1, 3, 128, 128] },
        t.slice(k, k + 1),
      );
      expect(Buffer.from(one.buffer).equals(Buffer.from(all.slice(...span).buffer))).toBe(true);
    }
    expect(new Set(Array.from(all.subarray(0, 1000))).size).toBeGreaterThan(100); // a real, varied output
  });

  it('stops before an ORT call once cancelled', async () => {
    const m = await OrtScoreModel.open(testModel('analytic-ve'), { provider: 'cpu', threads: 1 });
    const x = batch(1, () => 0);
    await expect(m.scoreFn({ aborted: true })(x, x, new Float32Array([0.5]))).rejects.toBeInstanceOf(
      SamplingCancelled,
    );
    expect(m.stats.ortCalls).toBe(0);
  });

  it('rejects a file whose SHA-256 differs from its manifest', async () => {
    const entry = testModel('analytic-ve');
    const onnxPath = join(tmp.path, 'tampered.onnx');
    copyFileSync(entry.onnxPath, onnxPath);
    writeFileSync(onnxPath, Buffer.concat([Buffer.from(entry.manifest.sha256), Buffer.from('x')]), {
      flag: 'a',
    });
    await expect(OrtScoreModel.open({ ...entry, onnxPath }, { provider: 'cpu', threads: 1 })).rejects.toThrow(
      /does not match its manifest: SHA-256 is [0-9a-f]{64}/,
    );
  });

  it('reports a corrupt model file (hash matches, ORT cannot parse it) clearly', async () => {
    const entry = testModel('analytic-ve');
    const onnxPath = join(tmp.path, 'corrupt.onnx');
    const bytes = Buffer.from('this is not an ONNX protobuf \u0000\u0001\u0002');
    writeFileSync(onnxPath, bytes);
    const manifest = { ...entry.manifest, sha256: sha256Hex(bytes) };
    await expect(
      OrtScoreModel.open({ ...entry, manifest, onnxPath }, { provider: 'cpu', threads: 1 }),
    ).rejects.toThrow(/onnxruntime cannot load model analytic-ve/);
  });

  it('falls back to CPU and says why when the requested provider is missing', async () => {
    const m = await OrtScoreModel.open(testModel('analytic-ve'), { provider: 'dml', threads: 1 });
    if (process.platform !== 'win32') {
      expect(m.provider).toBe('cpu');
      expect(m.fallback).toMatch(/dml does not exist on .*; ran on cpu/);
    }
    const c = await OrtScoreModel.open(testModel('analytic-ve'), { provider: 'cuda', threads: 1 });
    // Either CUDA really ran, or CPU did and the reason is recorded; never a silent substitution.
    expect(c.provider === 'cuda' ? c.fallback : c.fallback?.endsWith('ran on cpu')).toBe(
      c.provider === 'cuda' ? null : true,
    );
  });
});
