import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InferenceEngine } from '../../../src/main/inference/engine';
import { sha256Hex } from '../../../src/main/crypto';
import type {
  EngineProgress,
  ModelSpec,
  ScoreLoopJob,
  ScoreLoopResult,
} from '../../../src/main/inference/protocol';
import { tempDir } from '../../helpers/temp-dir';
import { testModel } from './fixtures';

const tmp = tempDir();
const engine = new InferenceEngine();
afterAll(async () => {
  await engine.close();
  tmp.remove();
});

const spec = (name: string): ModelSpec => ({ entry: testModel(name), provider: 'cpu', threads: 1 });
const loop = (model: ModelSpec, steps: number, batch = 2): ScoreLoopJob => ({
  kind: 'score-loop',
  model,
  batch,
  steps,
});

describe('InferenceEngine (worker thread)', () => {
  it('runs a job in the worker and reports throttled progress up to the last step', async () => {
    const progress: EngineProgress[] = [];
    const out = await engine.run<ScoreLoopResult>(loop(spec('analytic-ve'), 30), {
      onProgress: (p) => progress.push(p),
    });
    expect(out.status).toBe('done');
    if (out.status !== 'done') return;
    expect(out.result.telemetry).toMatchObject({ provider: 'cpu', nfe: 30, ortCalls: 30, maxBatch: 2 });
    expect(progress[0]!.step).toBe(1);
    expect(progress.at(-1)).toMatchObject({ step: 30, total: 30, nfe: 30, etaMs: 0 });
    expect(progress.length).toBeLessThanOrEqual(30);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i]!.step).toBeGreaterThan(progress[i - 1]!.step);
  });

  it('cancels within a step, reports "cancelled", and the next job succeeds', async () => {
    const ac = new AbortController();
    let seen = 0;
    const out = await engine.run(loop(spec('analytic-ve'), 100_000, 1), {
      signal: ac.signal,
      onProgress: (p) => {
        seen = p.step;
        if (p.step >= 3) ac.abort();
      },
    });
    expect(out.status).toBe('cancelled');
    expect(seen).toBeGreaterThanOrEqual(3);
    expect(seen).toBeLessThan(100_000);
    const again = await engine.run(loop(spec('analytic-ve'), 5));
    expect(again.status).toBe('done');
  });

  it('survives a score model that throws, with a clear error, and recovers', async () => {
    await expect(engine.run(loop(spec('fault'), 3))).rejects.toThrow(
      /The score model fault failed: .*Reshape/,
    );
    const again = await engine.run(loop(spec('analytic-vp'), 3));
    expect(again.status).toBe('done');
  });

  it('survives a corrupt model file, with a clear error, and recovers', async () => {
    const entry = testModel('analytic-ve');
    const onnxPath = join(tmp.path, 'corrupt.onnx');
    const bytes = Buffer.from('garbage, not protobuf');
    writeFileSync(onnxPath, bytes);
    const corrupt: ModelSpec = {
      entry: { ...entry, onnxPath, manifest: { ...entry.manifest, sha256: sha256Hex(bytes) } },
      provider: 'cpu',
      threads: 1,
    };
    await expect(engine.run(loop(corrupt, 3))).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/onnxruntime cannot load model analytic-ve/),
    });
    await expect(
      engine.run(loop({ ...corrupt, entry: { ...corrupt.entry, manifest: entry.manifest } }, 3)),
    ).rejects.toThrow(/does not match its manifest/);
    expect((await engine.run(loop(spec('analytic-ve'), 2))).status).toBe('done');
  });

  it('fails the running job clearly when the worker dies, and starts a fresh worker for the next', async () => {
    // The worker exits between two score calls (terminating it from outside while onnxruntime is mid-call would
    // abort the whole process, which no product path does).
    const running = engine.run({ ...loop(spec('analytic-ve'), 1000, 1), exitAfterStep: 5 });
    await expect(running).rejects.toThrow(/The inference worker stopped: exit code 3/);
    expect((await engine.run(loop(spec('analytic-ve'), 2))).status).toBe('done');
  });

  it('does not start a job whose signal is already aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    expect((await engine.run(loop(spec('analytic-ve'), 3), { signal: ac.signal })).status).toBe('cancelled');
  });
});
