import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeApp, type App } from '../../../src/main/compose';
import { callOrThrow } from '../../../src/main/api/router';
import type { RunSettings } from '../../../src/shared/contract';
import { tempDir } from '../../helpers/temp-dir';
import type { RunJob } from '../../../src/main/inference/run-executor';
import { verifyManifest } from '../../../src/main/reports/verify-manifest';
import { caseWithFace, synthImage, until, writePhoto } from '../../helpers/case-fixture';
import { testExecutor, type TestExecutorOptions } from '../../helpers/test-executor';

// The executor here is a test double (deterministic images, no diffusion): these tests are about queue semantics.
const settings = (over: Partial<RunSettings> = {}): RunSettings => ({
  modelId: 'sde-ve-test',
  preset: 'fast',
  candidates: 3,
  provider: 'cpu',
  dataConsistency: false,
  ...over,
});

describe('runs: persisted queue', () => {
  let dir: ReturnType<typeof tempDir>;
  let app: App;
  let fx: Awaited<ReturnType<typeof caseWithFace>>;
  const start = async (opts: TestExecutorOptions = {}): Promise<void> => {
    app = composeApp({ dataDir: join(dir.path, 'data'), executor: testExecutor(opts), actor: 'ann' });
    fx = await caseWithFace(app, dir.path);
  };
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => {
    app?.close();
    dir.remove();
  });

  it('accepts settings whose optional fields are explicitly undefined', async () => {
    await start({ steps: 5 });
    const run = app.runs.enqueue({
      caseId: fx.caseId,
      faceId: fx.face.id,
      settings: settings({ steps: undefined, snr: undefined, threads: undefined }),
    });
    await app.runs.whenIdle();
    expect(app.runs.get(run.id).status).toBe('done');
    expect(app.audit.verify(fx.caseId, app.store).ok).toBe(true);
  });

  it('queues an r sweep: one SDE-VEcs run per r, same seed, one sweep id, each with its candidate mean', async () => {
    await start({ steps: 3 });
    const runs = app.runs.sweep({
      caseId: fx.caseId,
      faceId: fx.face.id,
      settings: settings({ candidates: 2, steps: 3, seed: '7' }),
      snrs: [0.32, 0.08, 0.16, 0.08],
    });
    expect(runs.map((r) => r.settings.snr)).toEqual([0.08, 0.16, 0.32]);
    expect(new Set(runs.map((r) => r.settings.sweepId)).size).toBe(1);
    expect(runs.every((r) => r.seed === '7' && r.settings.preset === 'sde-vecs')).toBe(true);
    await app.runs.whenIdle();
    for (const r of runs) {
      const done = app.runs.get(r.id);
      expect(done.status).toBe('done');
      expect(done.record?.sampler).toMatchObject({ snr: r.settings.snr });
      expect(done.outputs.filter((o) => o.kind === 'mean')).toHaveLength(1);
    }
    expect(() =>
      app.runs.sweep({ caseId: fx.caseId, faceId: fx.face.id, settings: settings(), snrs: [0.1, 0.1] }),
    ).toThrow(/at least two different r values/);
  });

  it('runs a job, stores outputs by hash with the C7 record, and publishes progress', async () => {
    await start({ steps: 20 });
    const progress: number[] = [];
    const statuses: string[] = [];
    app.events.subscribe((name, p) => {
      if (name === 'job.progress') progress.push((p as { step: number }).step);
      if (name === 'runs.changed') statuses.push((p as { status: string }).status);
    });
    const run = app.runs.enqueue({ caseId: fx.caseId, faceId: fx.face.id, settings: settings() });
    expect(run.seed).toMatch(/^\d+$/);
    await app.runs.whenIdle();
    const done = app.runs.get(run.id);
    expect(done).toMatchObject({
      status: 'done',
      progress: { step: 20, total: 20 },
      record: { seed: run.seed, candidates: 3 },
    });
    expect(done.outputs.map((o) => `${o.kind}${o.index}`)).toEqual([
      'candidate0',
      'candidate1',
      'candidate2',
      'mean0',
      'bicubic0',
      'uncertainty0',
    ]);
    // The candidate mean: the per-pixel average of the candidates' float pixels, with its own hashes and metric.
    const mean = done.outputs.find((o) => o.kind === 'mean')!;
    expect(mean.metrics.consistency).toBeGreaterThanOrEqual(0);
    expect(done.outputs.find((o) => o.kind === 'bicubic')!.metrics.consistency).toBeGreaterThanOrEqual(0);
    for (const o of done.outputs) expect(app.store.check(fx.caseId, o.sha256)).toBeNull();
    expect(done.outputs[0]!.metrics.consistency).toBeGreaterThanOrEqual(0);
    // Candidates carry the caveat inside the file too (PNG tEXt), and still decode.
    const meta = await sharp(app.store.read(fx.caseId, done.outputs[0]!.sha256)).metadata();
    expect(meta.comments).toEqual([
      {
        keyword: 'Description',
        text: expect.stringMatching(
          /^AI-generated candidate - an investigative aid, not evidence of identity\./,
        ),
      },
    ]);
    expect(
      (await sharp(app.store.read(fx.caseId, done.outputs[4]!.sha256)).metadata()).comments,
    ).toBeUndefined();
    // The uncertainty map is generated too: same caveat, same key (one encoder for the app and the CLI).
    expect((await sharp(app.store.read(fx.caseId, done.outputs[5]!.sha256)).metadata()).comments).toEqual(
      meta.comments,
    );
    expect((await sharp(app.store.read(fx.caseId, mean.sha256)).metadata()).comments).toEqual(meta.comments);
    expect(progress.at(-1)).toBe(20);
    expect(statuses).toEqual(['queued', 'running', 'done']);
    expect(progress.length).toBeLessThanOrEqual(20);
    expect(app.audit.verify(fx.caseId, app.store).ok).toBe(true);
  });

  it('re-running from the record reproduces identical output hashes', async () => {
    await start();
    const a = app.runs.enqueue({
      caseId: fx.caseId,
      faceId: fx.face.id,
      settings: settings({ seed: '18446744073709551615' }),
    });
    await app.runs.whenIdle();
    const b = app.runs.rerun(a.id);
    await app.runs.whenIdle();
    const [ra, rb] = [app.runs.get(a.id), app.runs.get(b.id)];
    expect(rb).toMatchObject({ status: 'done', rerunOf: a.id, seed: '18446744073709551615' });
    expect(rb.outputs.map((o) => o.pixelsSha256)).toEqual(ra.outputs.map((o) => o.pixelsSha256));
    const c = app.runs.enqueue({ caseId: fx.caseId, faceId: fx.face.id, settings: settings({ seed: '1' }) });
    await app.runs.whenIdle();
    expect(app.runs.get(c.id).outputs[0]!.pixelsSha256).not.toBe(ra.outputs[0]!.pixelsSha256);
  });

  it('runs one job at a time per device, devices in parallel, in queue order', async () => {
    await start({ stepDelayMs: 20, steps: 5 });
    const a = app.runs.enqueue({ caseId: fx.caseId, faceId: fx.face.id, settings: settings() });
    const b = app.runs.enqueue({ caseId: fx.caseId, faceId: fx.face.id, settings: settings() });
    const g = app.runs.enqueue({
      caseId: fx.caseId,
      faceId: fx.face.id,
      settings: settings({ provider: 'cuda' }),
    });
    expect([app.runs.get(a.id).status, app.runs.get(b.id).status, app.runs.get(g.id).status]).toEqual([
      'running',
      'queued',
      'running',
    ]);
    await until(() => app.runs.get(a.id).status === 'done');
    expect(app.runs.get(b.id).status).not.toBe('queued');
    await app.runs.whenIdle();
    const [ra, rb] = [app.runs.get(a.id), app.runs.get(b.id)];
    expect(rb.startedAt! >= ra.finishedAt!).toBe(true);
  });

  it('cancels a queued run at once and a running one when the executor stops', async () => {
    await start({ stepDelayMs: 30, steps: 50 });
    const a = app.runs.enqueue({ caseId: fx.caseId, faceId: fx.face.id, settings: settings() });
    const b = app.runs.enqueue({ caseId: fx.caseId, faceId: fx.face.id, settings: settings() });
    expect(app.runs.cancel(b.id).status).toBe('cancelled');
    await until(() => app.runs.get(a.id).status === 'running');
    app.runs.cancel(a.id);
    await app.runs.whenIdle();
    expect(app.runs.get(a.id)).toMatchObject({ status: 'cancelled', outputs: [] });
    expect(() => app.runs.cancel(a.id)).toThrow(/nothing to cancel/);
    const actions = app.audit.list(fx.caseId).map((e) => e.action);
    expect(actions.filter((x) => x === 'run.cancelled')).toHaveLength(2);
  });

  it('marks a failing run failed with its message, and keeps the queue going', async () => {
    await start({ failAtStep: { step: 2, message: 'model file missing' } });
    const a = app.runs.enqueue({ caseId: fx.caseId, faceId: fx.face.id, settings: settings() });
    await app.runs.whenIdle();
    expect(app.runs.get(a.id)).toMatchObject({ status: 'failed', error: 'model file missing', outputs: [] });
    expect(() =>
      app.runs.rerun(app.runs.enqueue({ caseId: fx.caseId, faceId: fx.face.id, settings: settings() }).id),
    ).toThrow(/only a finished run/);
  });

  it('marks a run left running (a crash) interrupted at start-up; it can be re-run', async () => {
    await start({ stepDelayMs: 1000, steps: 100 });
    const a = app.runs.enqueue({ caseId: fx.caseId, faceId: fx.face.id, settings: settings({ seed: '42' }) });
    expect(app.runs.get(a.id).status).toBe('running');
    // Simulate the process dying: the DB is closed without any shutdown bookkeeping.
    app.db.close();
    app = composeApp({ dataDir: join(dir.path, 'data'), executor: testExecutor() });
    expect(app.runs.get(a.id).status).toBe('interrupted');
    const b = app.runs.rerun(a.id);
    await app.runs.whenIdle();
    expect(app.runs.get(b.id)).toMatchObject({ status: 'done', seed: '42' });
    expect(app.audit.verify(fx.caseId, app.store).ok).toBe(true);
  });

  it('leaves runs alone when another live process owns the queue (a CLI beside the app)', async () => {
    await start({ stepDelayMs: 1000, steps: 100 });
    const a = app.runs.enqueue({ caseId: fx.caseId, faceId: fx.face.id, settings: settings() });
    writeFileSync(join(dir.path, 'data', 'queue.lock'), String(process.ppid)); // a live process that is not us
    const other = composeApp({ dataDir: join(dir.path, 'data'), executor: testExecutor() });
    expect(other.runs.get(a.id).status).toBe('running');
    const b = other.runs.enqueue({
      caseId: fx.caseId,
      faceId: fx.face.id,
      settings: settings({ provider: 'cuda' }),
    });
    expect(other.runs.get(b.id).status).toBe('queued');
    other.close();
    expect(app.runs.get(a.id).status).toBe('running');
    // The owner picks up the run the other process queued (its poll), on its own device.
    await until(() => app.runs.get(b.id).status !== 'queued', 5000);
  });

  it('validates settings through the router', async () => {
    await start();
    const res = await app.router('runs.enqueue', {
      caseId: fx.caseId,
      faceId: fx.face.id,
      settings: { modelId: 'm', preset: 'fast', seed: '-1' },
    });
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/seed/) },
    });
    const ok = await app.router('runs.enqueue', {
      caseId: fx.caseId,
      faceId: fx.face.id,
      settings: { modelId: 'm', preset: 'fast' },
    });
    expect(ok).toMatchObject({ ok: true, value: { settings: { candidates: 4 } } });
  });

  it("a 16x16 still is a face of method 'lr16' (no crop): its runs get crop null, reports and verify handle it", async () => {
    const jobs: RunJob[] = [];
    const inner = testExecutor({ steps: 2 });
    const executor = {
      ...inner,
      execute: (job: RunJob, ctx: Parameters<typeof inner.execute>[1]) => {
        jobs.push(job);
        return inner.execute(job, ctx);
      },
    };
    app = composeApp({ dataDir: join(dir.path, 'data'), executor, actor: 'ann', appVersion: '0.1.0-test' });
    fx = await caseWithFace(app, dir.path);
    const lrPath = await writePhoto(dir.path, 'lr16.png', 16, 16, 0.7);
    const bigPath = await writePhoto(dir.path, 'big.png', 20, 20);
    const { evidence: lrEv } = await app.evidence.import({ caseId: fx.caseId, path: lrPath, role: 'probe' });
    const { evidence: bigEv } = await app.evidence.import({
      caseId: fx.caseId,
      path: bigPath,
      role: 'probe',
    });

    // Not 16x16: one clear line, nothing stored.
    expect(
      await app.router('faces.align', { caseId: fx.caseId, evidenceId: bigEv.id, method: 'lr16' }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-input',
        message: 'An LR face (method lr16) is a 16x16 image; this one is 20x20.',
      },
    });
    const { face } = await callOrThrow(app.router, 'faces.align', {
      caseId: fx.caseId,
      evidenceId: lrEv.id,
      method: 'lr16',
    });
    expect(face).toMatchObject({ method: 'lr16', points: [], transform: [8, 0, 0, 0, 8, 0] });
    // One file: the crop hash names the LR, whose pixels are the still's.
    expect(face.cropSha256).toBe(face.lrSha256);
    const imgs = await app.faces.images(face.id);
    expect(imgs.crop).toBeNull();
    expect([imgs.lr.width, imgs.lr.height]).toEqual([16, 16]);
    const still = await sharp(lrPath).raw().toBuffer();
    expect(Array.from(imgs.lr.data, (v) => Math.round(v * 255))).toEqual(Array.from(still));
    expect(app.faces.list(fx.caseId).map((f) => f.method)).toEqual(['manual', 'lr16']);
    const aligned = app.audit.list(fx.caseId, 0, 500).filter((e) => e.action === 'face.aligned');
    expect(aligned.at(-1)).toMatchObject({ subject: face.id, payload: { method: 'lr16' } });

    // The runs service gives the executor no crop for it; the run on the manual face keeps its crop.
    const run = app.runs.enqueue({ caseId: fx.caseId, faceId: face.id, settings: settings({ seed: '5' }) });
    const other = app.runs.enqueue({
      caseId: fx.caseId,
      faceId: fx.face.id,
      settings: settings({ seed: '5' }),
    });
    await app.runs.whenIdle();
    expect(app.runs.get(run.id).status).toBe('done');
    expect(jobs.map((j) => [j.runId, j.crop === null])).toEqual([
      [run.id, true],
      [other.id, false],
    ]);
    expect(app.audit.verify(fx.caseId, app.store).ok).toBe(true);

    // Reports show it without a crop, and verify re-runs it from the LR alone.
    const reports = await app.reports.create({
      caseId: fx.caseId,
      runId: run.id,
      formats: ['html', 'manifest'],
    });
    const html = app.reports.bytes(reports.find((r) => r.format === 'html')!.id).bytes.toString('utf8');
    expect(html).toContain('16x16 LR face (no crop)');
    const manifest = JSON.parse(
      app.reports.bytes(reports.find((r) => r.format === 'manifest')!.id).bytes.toString('utf8'),
    );
    const v = await verifyManifest(manifest, testExecutor({ steps: 2 }));
    expect(v.problems).toEqual([]);
    expect(v.runs.map((r) => r.identical)).toEqual([true]);
  });

  it("stores a 16x16 crop only for method 'lr16', and only when it is the LR", async () => {
    await start();
    const lr = synthImage(16, 16, 0.2, true);
    const base = { evidenceId: fx.evidenceId, points: [], transform: [8, 0, 0, 0, 8, 0] };
    await expect(app.faces.storeAligned({ ...base, method: 'aligned', crop: lr, lr })).rejects.toThrow(
      'An aligned crop is 128x128, not 16x16.',
    );
    await expect(
      app.faces.storeAligned({ ...base, method: 'lr16', crop: synthImage(16, 16, 0.9, true), lr }),
    ).rejects.toThrow("A face of method 'lr16' has no crop: its crop must be its LR.");
    const f = await app.faces.storeAligned({ ...base, method: 'lr16', crop: { ...lr }, lr });
    expect(f.cropSha256).toBe(f.lrSha256);
  });
});
