/**
 * Face calls through the contract: real services, SQLite, ORT with the real face models (in the inference worker that
 * also samples), the analytic score model.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formLr } from '../../../src/core/image/lr';
import { composeApp, type App } from '../../../src/main/compose';
import { callOrThrow } from '../../../src/main/api/router';
import { InferenceEngine } from '../../../src/main/inference/engine';
import { DEFAULT_EMBEDDER } from '../../../src/main/face/pipeline';
import { createInferenceExecutor, type InferenceExecutor } from '../../../src/main/inference/executor';
import { WorkerFaceModels } from '../../../src/main/inference/face-models';
import { decodeToRgb as decodeRgb } from '../../../src/main/imaging/decode';
import { COMPARISON_CAVEAT, type Face } from '../../../src/shared/contract';
import { until } from '../../helpers/case-fixture';

const repo = resolve(import.meta.dirname, '../../..');
const shared = process.env.FACET_SHARED_DIR ?? resolve(repo, '../shared');
const whole = join(shared, 'data/demo/lowquality/whole');

let dir: string;
let app: App;
let executor: InferenceExecutor;
let pipe: WorkerFaceModels;
let loads = 0;
let caseId: string;
let probeId: string;
let referenceId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'facet-faces-api-'));
  const engine = new InferenceEngine();
  executor = createInferenceExecutor({ engine });
  app = composeApp({
    dataDir: join(dir, 'data'),
    actor: 'tester',
    executor,
    loadFaceModels: async () => {
      loads++;
      pipe = await WorkerFaceModels.open(engine, join(repo, 'models/face'));
      return pipe;
    },
  });
  app.paths.allowFolder(whole);
  caseId = (await callOrThrow(app.router, 'cases.create', { name: 'Faces API' })).id;
  const probe = await callOrThrow(app.router, 'evidence.import', {
    caseId,
    path: join(whole, '04.jpg'),
    role: 'probe',
  });
  const ref = await callOrThrow(app.router, 'evidence.import', {
    caseId,
    path: join(whole, '05.jpg'),
    role: 'reference',
  });
  probeId = probe.evidence.id;
  referenceId = ref.evidence.id;
}, 60_000);

afterAll(async () => {
  app?.close();
  await executor?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('faces.detect / faces.align', () => {
  let face: Face;

  // The first face call starts the worker and loads the face models there.
  it('detects the face of a demo still with five landmarks inside its box', async () => {
    const r = await app.router('faces.detect', { caseId, evidenceId: probeId });
    expect(r.ok).toBe(true);
    const out = await callOrThrow(app.router, 'faces.detect', { caseId, evidenceId: probeId });
    expect(out).toMatchObject({ width: 225, height: 225 });
    expect(out.faces).toHaveLength(1);
    const f = out.faces[0]!;
    expect(f.index).toBe(0);
    expect(f.landmarks).toHaveLength(5);
    for (const p of f.landmarks) {
      expect(p.x).toBeGreaterThan(f.box.x - f.box.width * 0.25);
      expect(p.x).toBeLessThan(f.box.x + f.box.width * 1.25);
    }
    // The models were loaded once, on first use, in the worker thread that samples.
    expect(loads).toBe(1);
    expect(pipe.lastThreadId).toBeGreaterThan(0);
  }, 120_000);

  it('aligns a detection: stores crop and LR content-addressed, the row and its audit event', async () => {
    const { face: f, residualPx } = await callOrThrow(app.router, 'faces.align', {
      caseId,
      evidenceId: probeId,
      method: 'auto',
      detection: 0,
    });
    face = f;
    expect(f.method).toBe('auto');
    expect(f.points).toHaveLength(5);
    expect(residualPx).toBeLessThan(8);
    const crop = await decodeRgb(app.store.read(caseId, f.cropSha256));
    const lr = await decodeRgb(app.store.read(caseId, f.lrSha256));
    expect([crop.width, crop.height, lr.width, lr.height]).toEqual([128, 128, 16, 16]);
    // The stored LR is C2 of the stored crop, so it can be re-derived from the file.
    expect(Array.from(lr.data)).toEqual(Array.from(formLr(crop).data));
    expect((await callOrThrow(app.router, 'faces.list', { caseId })).map((x) => x.id)).toEqual([f.id]);
    const events = await callOrThrow(app.router, 'audit.list', { caseId, afterSeq: 0, limit: 1000 });
    expect(events.some((e) => e.action === 'face.aligned' && e.subject === f.id)).toBe(true);
    expect(loads).toBe(1);
  }, 30_000);

  it('aligns two manual eye points exactly onto the template eyes; bad input is refused', async () => {
    const [re, le] = face.points;
    const manual = await callOrThrow(app.router, 'faces.align', {
      caseId,
      evidenceId: probeId,
      method: 'manual',
      points: [re!, le!],
      refine: false,
    });
    const m = manual.face;
    expect(m.method).toBe('manual');
    expect(m.points).toHaveLength(2);
    expect(manual).toMatchObject({ refined: false, meshScore: null });
    // Two points map exactly onto the template's eyes.
    expect(manual.residualPx).toBeLessThan(1e-3);
    const bad = await app.router('faces.align', {
      caseId,
      evidenceId: probeId,
      method: 'manual',
      points: [re, le, re],
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const outside = await app.router('faces.align', {
      caseId,
      evidenceId: probeId,
      method: 'manual',
      points: [
        { x: 10, y: 10 },
        { x: 5000, y: 10 },
      ],
    });
    expect(outside).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect((outside as { error: { message: string } }).error.message).toMatch(/outside/);
    const noDetection = await app.router('faces.align', {
      caseId,
      evidenceId: probeId,
      method: 'auto',
      detection: 3,
    });
    expect(noDetection).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const otherCase = (await callOrThrow(app.router, 'cases.create', { name: 'Other' })).id;
    const wrongCase = await app.router('faces.detect', { caseId: otherCase, evidenceId: probeId });
    expect(wrongCase).toMatchObject({ ok: false, error: { code: 'not-found' } });
  }, 30_000);

  it('refines 2 eye points 5.5 px apart into five landmarks (manual alignment of a tiny face)', async () => {
    // The demo still at a quarter of its size: the face's eyes are 5.5 px apart.
    const small = join(dir, 'small.png');
    await sharp(join(whole, '04.jpg')).resize(56, 56).png().toFile(small);
    app.paths.allowFile(small);
    const ev = await callOrThrow(app.router, 'evidence.import', { caseId, path: small, role: 'probe' });
    const s = 56 / 225;
    const eyes = face.points.slice(0, 2).map((p) => ({ x: p.x * s, y: p.y * s }));
    const out = await callOrThrow(app.router, 'faces.align', {
      caseId,
      evidenceId: ev.evidence.id,
      method: 'manual',
      points: eyes,
      refine: true,
    });
    expect(out.refined).toBe(true);
    expect(out.meshScore).toBeGreaterThanOrEqual(0.5);
    expect(out.face.points).toHaveLength(5);
    // The refined landmarks agree with the full-size detection's, scaled down (within 2 px of the small image).
    face.points.forEach((p, i) => {
      const q = out.face.points[i]!;
      expect(Math.hypot(q.x - p.x * s, q.y - p.y * s)).toBeLessThan(2);
    });
  }, 30_000);

  it('serves a stored crop as a PNG data URL, and refuses unknown or malformed hashes', async () => {
    const out = await callOrThrow(app.router, 'objects.dataUrl', { caseId, sha256: face.cropSha256 });
    expect(out.mediaType).toBe('image/png');
    const bytes = Buffer.from(out.dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64');
    expect(bytes.equals(app.store.read(caseId, face.cropSha256))).toBe(true);
    expect((await sharp(bytes).metadata()).width).toBe(128);
    const ev = (await callOrThrow(app.router, 'evidence.list', { caseId })).find((e) => e.id === probeId)!;
    expect((await callOrThrow(app.router, 'objects.dataUrl', { caseId, sha256: ev.sha256 })).mediaType).toBe(
      'image/jpeg',
    );
    expect(await app.router('objects.dataUrl', { caseId, sha256: '0'.repeat(64) })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(await app.router('objects.dataUrl', { caseId, sha256: '../x' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
  });

  it('compares every candidate of a done run with a reference face, calibrated and audited', async () => {
    const ref = (
      await callOrThrow(app.router, 'faces.align', {
        caseId,
        evidenceId: referenceId,
        method: 'auto',
        detection: 0,
      })
    ).face;
    const run = await callOrThrow(app.router, 'runs.enqueue', {
      caseId,
      faceId: face.id,
      settings: {
        modelId: 'analytic-ve',
        preset: 'fast',
        steps: 4,
        candidates: 2,
        seed: '7',
        threads: 1,
        provider: 'cpu',
        dataConsistency: false,
      },
    });
    // A run that has not finished cannot be compared.
    const early = await app.router('comparisons.run', { caseId, runId: run.id, referenceFaceId: ref.id });
    if (!early.ok) expect(early.error.code).toBe('conflict');
    let status = run.status;
    await until(() => {
      void callOrThrow(app.router, 'runs.get', { runId: run.id }).then((r) => (status = r.status));
      return status === 'done' || status === 'failed';
    }, 40_000);
    expect(status).toBe('done');

    const out = await callOrThrow(app.router, 'comparisons.run', {
      caseId,
      runId: run.id,
      referenceFaceId: ref.id,
    });
    expect(out.caveat).toBe(COMPARISON_CAVEAT);
    // Both candidates and their mean.
    expect(out.comparisons).toHaveLength(3);
    const done = await callOrThrow(app.router, 'runs.get', { runId: run.id });
    const kinds = out.comparisons.map((c) => done.outputs.find((o) => o.id === c.outputId)?.kind);
    expect(kinds).toEqual(['candidate', 'candidate', 'mean']);
    const manifest = pipe.manifest();
    // One declared LR per run and reference (the candidate mean's): candidates carry a similarity, never an LR.
    for (const c of out.comparisons.slice(0, 2)) {
      expect(c.calibration.lrLog10).toBeUndefined();
      expect(c.calibration.lrWithheld).toBeUndefined();
    }
    // A mean of 2 candidates has no calibration (only a mean of 4 is calibrated).
    expect(out.comparisons[2]!.calibration.lrWithheld).toBe(
      'no calibration for a mean of 2 candidates (only for a mean of 4)',
    );
    for (const c of out.comparisons) {
      expect(c.embedderId).toBe(DEFAULT_EMBEDDER);
      expect(c.embedderSha256).toBe(manifest.sha256);
      expect(c.referenceEvidenceId).toBe(referenceId);
      expect(c.score).toBeGreaterThan(-1);
      expect(c.score).toBeLessThan(1);
      expect(c.calibrationPercentile).toBeGreaterThanOrEqual(0);
      expect(c.calibrationPercentile).toBeLessThanOrEqual(100);
      expect(c.calibration).toMatchObject({
        runId: run.id,
        referenceFaceId: ref.id,
        caveat: COMPARISON_CAVEAT,
      });
      expect(c.calibration.genuinePercentile).toEqual(expect.any(Number));
    }
    // The two candidates differ (different noise), so do their scores.
    expect(out.comparisons[0]!.score).not.toBe(out.comparisons[1]!.score);
    const listed = await callOrThrow(app.router, 'comparisons.list', { caseId });
    expect(listed.map((c) => c.id)).toEqual(out.comparisons.map((c) => c.id));
    const events = await callOrThrow(app.router, 'audit.list', { caseId, afterSeq: 0, limit: 1000 });
    expect(events.filter((e) => e.action === 'comparison.recorded')).toHaveLength(3);

    // The probe's own face is not a reference photo.
    const wrong = await app.router('comparisons.run', { caseId, runId: run.id, referenceFaceId: face.id });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    // Every change above is in the tamper-evident chain, and the stored files re-hash.
    expect(await callOrThrow(app.router, 'audit.verify', { caseId })).toMatchObject({ ok: true });
  }, 60_000);

  it('gives an r sweep one CS per r and candidate to a reference face, by the default embedder, audited', async () => {
    const faces = await callOrThrow(app.router, 'faces.list', { caseId });
    const ref = faces.filter((f) => f.evidenceId === referenceId).at(-1)!;
    const runs = await callOrThrow(app.router, 'runs.sweep', {
      caseId,
      faceId: face.id,
      settings: {
        modelId: 'analytic-ve',
        preset: 'sde-vecs',
        steps: 3,
        candidates: 2,
        seed: '9',
        threads: 1,
        provider: 'cpu',
        dataConsistency: false,
      },
      snrs: [0.1, 0.3],
    });
    await app.runs.whenIdle();
    const before = (await callOrThrow(app.router, 'comparisons.list', { caseId })).length;
    const out = await callOrThrow(app.router, 'comparisons.sweep', {
      caseId,
      sweepId: runs[0]!.settings.sweepId!,
      referenceFaceId: ref.id,
    });
    expect(out.embedderId).toBe(DEFAULT_EMBEDDER);
    expect(out.caveat).toBe(COMPARISON_CAVEAT);
    expect(out.points.map((p) => [p.r, p.status, p.scores.length])).toEqual([
      [0.1, 'done', 2],
      [0.3, 'done', 2],
    ]);
    for (const p of out.points) for (const s of p.scores) expect(Number.isFinite(s.score)).toBe(true);
    const listed = await callOrThrow(app.router, 'comparisons.list', { caseId });
    expect(listed.slice(before).map((c) => c.id)).toEqual(
      out.points.flatMap((p) => p.scores.map((s) => s.comparisonId)),
    );
    const events = await callOrThrow(app.router, 'audit.list', { caseId, afterSeq: 0, limit: 1000 });
    const audited = new Set(events.filter((e) => e.action === 'comparison.recorded').map((e) => e.subject));
    expect(out.points.every((p) => p.scores.every((s) => audited.has(s.comparisonId)))).toBe(true);
  }, 60_000);
  it('refuses a run of a reference photo unless confirmed, and a comparison with its own source unless flagged', async () => {
    const faces = await callOrThrow(app.router, 'faces.list', { caseId });
    const ref = faces.filter((f) => f.evidenceId === referenceId).at(-1)!;
    const settings = {
      modelId: 'analytic-ve',
      preset: 'fast' as const,
      steps: 2,
      candidates: 4,
      seed: '3',
      threads: 1,
      provider: 'cpu' as const,
      dataConsistency: false,
    };
    const refused = await app.router('runs.enqueue', { caseId, faceId: ref.id, settings });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect((refused as { error: { message: string } }).error.message).toMatch(/05\.jpg, a reference photo/);
    const run = await callOrThrow(app.router, 'runs.enqueue', {
      caseId,
      faceId: ref.id,
      settings,
      enhanceReference: true,
    });
    await app.runs.whenIdle();
    let events = await callOrThrow(app.router, 'audit.list', { caseId, afterSeq: 0, limit: 1000 });
    const queued = events.find((e) => e.action === 'run.queued' && e.subject === run.id)!;
    expect(queued.payload).toMatchObject({
      input: { evidenceId: referenceId, role: 'reference' },
      enhanceReference: expect.stringMatching(/confirmed/),
    });
    const same = await app.router('comparisons.run', { caseId, runId: run.id, referenceFaceId: ref.id });
    expect(same).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((same as { error: { message: string } }).error.message).toMatch(
      /^Refused, same source: the run's input face was aligned from 05\.jpg, the reference photo itself/,
    );
    const flagged = await callOrThrow(app.router, 'comparisons.run', {
      caseId,
      runId: run.id,
      referenceFaceId: ref.id,
      allowSameSource: true,
    });
    expect(flagged.comparisons).toHaveLength(5);
    for (const c of flagged.comparisons) expect(c.calibration.sameSource).toMatch(/^SAME SOURCE: /);
    events = await callOrThrow(app.router, 'audit.list', { caseId, afterSeq: 0, limit: 1000 });
    const recorded = events.filter(
      (e) => e.action === 'comparison.recorded' && flagged.comparisons.some((c) => c.id === e.subject),
    );
    expect(recorded).toHaveLength(5);
    for (const e of recorded)
      expect((e.payload as { sameSource: string }).sameSource).toMatch(/^SAME SOURCE/);
    expect(await callOrThrow(app.router, 'audit.verify', { caseId })).toMatchObject({ ok: true });
  }, 60_000);
});
