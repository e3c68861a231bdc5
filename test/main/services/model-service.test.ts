/** models.list and models.benchmark through the router: the real registry, SQLite and ORT with analytic models. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOrThrow } from '../../../src/main/api/router';
import { composeApp, type App } from '../../../src/main/compose';
import { createInferenceExecutor, type InferenceExecutor } from '../../../src/main/inference/executor';
import { availableProviders } from '../../../src/main/inference/providers';
import { ModelRegistry } from '../../../src/main/inference/registry';
import { median, nfeOfSampler } from '../../../src/main/services/model-service';
import { caseWithFace, until } from '../../helpers/case-fixture';

let dir: string;
let app: App;
let executor: InferenceExecutor;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'facet-models-'));
  const registry = ModelRegistry.fromDisk();
  executor = createInferenceExecutor({ registry });
  app = composeApp({ dataDir: join(dir, 'data'), actor: 'tester', executor, modelRegistry: registry });
});

afterAll(async () => {
  app?.close();
  await executor?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('nfeOfSampler', () => {
  it('counts PC N(1+M), Heun 2N-1 and DPM-Solver N', () => {
    const pc = { kind: 'pc', predictor: 'reverse-diffusion', corrector: 'langevin' } as const;
    expect(nfeOfSampler({ ...pc, steps: 10, correctorSteps: 1, snr: 0.16, eps: 1e-5 })).toBe(20);
    expect(nfeOfSampler({ ...pc, corrector: 'none', steps: 10, correctorSteps: 0, snr: 0, eps: 1e-5 })).toBe(
      10,
    );
    expect(nfeOfSampler({ kind: 'heun', steps: 10, rho: 7, eps: 1e-5, churn: 0 })).toBe(19);
    expect(nfeOfSampler({ kind: 'dpm-solver', steps: 12, order: 2, eps: 1e-5 })).toBe(12);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('models.list', () => {
  it('lists the analytic test models with their manifest facts, CPU, and no cost before any run', async () => {
    const out = await callOrThrow(app.router, 'models.list', {});
    const ve = out.models.find((m) => m.id === 'analytic-ve');
    expect(ve).toMatchObject({
      sde: 've',
      dataRange: [0, 1],
      params: 0,
      flops: 491520,
      trainedOnFaces: false,
      testOnly: true,
    });
    expect(ve?.licence).toMatch(/contains no data/);
    // The test_only fault fixture is never offered.
    expect(out.models.map((m) => m.id)).not.toContain('fault');
    expect(out.providers[0]).toEqual({ name: 'cpu', note: null });
    expect(out.costs).toEqual([]);
  });

  it('rejects extra input', async () => {
    const r = await app.router('models.list', { x: 1 });
    expect(r.ok).toBe(false);
  });
});

describe('measured cost', () => {
  it('derives ms per NFE from a finished run, per model, provider and batch', async () => {
    mkdirSync(join(dir, 'photos'));
    const { caseId, face } = await caseWithFace(app, join(dir, 'photos'));
    const run = await callOrThrow(app.router, 'runs.enqueue', {
      caseId,
      faceId: face.id,
      settings: {
        modelId: 'analytic-vp',
        preset: 'fast',
        steps: 5,
        candidates: 2,
        seed: '3',
        threads: 1,
        provider: 'cpu',
        dataConsistency: false,
      },
    });
    let status = run.status;
    await until(() => {
      void callOrThrow(app.router, 'runs.get', { runId: run.id }).then((r) => (status = r.status));
      return status === 'done' || status === 'failed';
    }, 30_000);
    expect(status).toBe('done');
    const done = await callOrThrow(app.router, 'runs.get', { runId: run.id });
    const wall = Date.parse(done.finishedAt!) - Date.parse(done.startedAt!);
    const out = await callOrThrow(app.router, 'models.list', {});
    expect(out.costs).toEqual([
      { modelId: 'analytic-vp', provider: 'cpu', batch: 2, msPerNfe: wall / 5, source: 'runs', samples: 1 },
    ]);
  }, 40_000);

  it('benchmarks forwards in the worker and keeps the result in models.list', async () => {
    const b = await callOrThrow(app.router, 'models.benchmark', {
      modelId: 'analytic-ve',
      provider: 'cpu',
      batch: 3,
    });
    expect(b).toMatchObject({ modelId: 'analytic-ve', provider: 'cpu', batch: 3, source: 'benchmark' });
    expect(b.providerFallback).toBeNull();
    expect(b.msPerNfe).toBeGreaterThan(0);
    expect(b.samples).toBe(3);
    const out = await callOrThrow(app.router, 'models.list', {});
    expect(out.costs).toContainEqual({
      modelId: 'analytic-ve',
      provider: 'cpu',
      batch: 3,
      msPerNfe: b.msPerNfe,
      source: 'benchmark',
      samples: 3,
    });
  }, 30_000);

  it('answers not-found for an unknown model', async () => {
    const r = await app.router('models.benchmark', { modelId: 'nope' });
    expect(r.ok ? null : r.error.code).toBe('not-found');
  });
});

describe('availableProviders', () => {
  it('offers CPU first, never a provider of another platform, and notes an unbundled one', () => {
    const linux = availableProviders('linux');
    expect(linux[0]).toEqual({ name: 'cpu', note: null });
    expect(linux.map((p) => p.name)).not.toContain('dml');
    expect(linux.map((p) => p.name)).not.toContain('coreml');
    for (const p of linux.filter((x) => x.name !== 'cpu')) expect(p.note).toMatch(/falls back to CPU/);
    expect(availableProviders('win32').map((p) => p.name)).not.toContain('coreml');
  });
});
