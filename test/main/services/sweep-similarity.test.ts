/**
 * The r sweep's cosine similarities (CS) to a reference face (issue 18): main compares every candidate of every
 * done run of the sweep through the comparison path (recorded, audited), once; the report's sweep section lists
 * them per r. The executor is the test double and the face models a stub embedder (no ONNX), so the scores mean
 * nothing here: they must exist, be finite, and be the ones recorded.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stubFaceModels } from '../../helpers/stub-embedder';
import { callOrThrow } from '../../../src/main/api/router';
import { composeApp, type App } from '../../../src/main/compose';
import { COMPARISON_CAVEAT, type Face, type RunSettings } from '../../../src/shared/contract';
import { caseWithFace, synthImage } from '../../helpers/case-fixture';
import { tempDir } from '../../helpers/temp-dir';
import { testExecutor } from '../../helpers/test-executor';

const EMBEDDER_SHA = 'e'.repeat(64);

const settings: RunSettings = {
  modelId: 'sde-ve-test',
  preset: 'sde-vecs',
  steps: 3,
  candidates: 2,
  seed: '11',
  provider: 'cpu',
  dataConsistency: false,
};

describe('r sweep: CS to a reference photo', () => {
  let dir: ReturnType<typeof tempDir>;
  let app: App;
  let fx: Awaited<ReturnType<typeof caseWithFace>>;
  let refFace: Face;
  beforeEach(async () => {
    dir = tempDir();
    app = composeApp({
      dataDir: join(dir.path, 'data'),
      executor: testExecutor({ steps: 3 }),
      actor: 'ann',
      loadFaceModels: async () => stubFaceModels(EMBEDDER_SHA),
    });
    fx = await caseWithFace(app, dir.path);
    refFace = await app.faces.storeAligned({
      evidenceId: fx.referenceId,
      method: 'aligned',
      points: [],
      transform: [1.6, 0, 0, 0, 1.6, 0],
      crop: synthImage(128, 128, 1.1),
      lr: synthImage(16, 16, 1.1, true),
    });
  });
  afterEach(() => {
    app?.close();
    dir.remove();
  });

  it('gives one audited CS per r and candidate, records each once, and the report lists them', async () => {
    const runs = app.runs.sweep({ caseId: fx.caseId, faceId: fx.face.id, settings, snrs: [0.3, 0.1] });
    const sweepId = runs[0]!.settings.sweepId!;
    await app.runs.whenIdle();
    const out = await callOrThrow(app.router, 'comparisons.sweep', {
      caseId: fx.caseId,
      sweepId,
      referenceFaceId: refFace.id,
    });
    expect(out).toMatchObject({
      sweepId,
      referenceFaceId: refFace.id,
      referenceEvidenceId: fx.referenceId,
      embedderId: 'stub-embedder',
      caveat: COMPARISON_CAVEAT,
    });
    expect(out.points.map((p) => [p.r, p.runId, p.status])).toEqual([
      [0.1, runs[0]!.id, 'done'],
      [0.3, runs[1]!.id, 'done'],
    ]);
    const stored = app.faces.listComparisons(fx.caseId);
    expect(stored).toHaveLength(4); // 2 r x 2 candidates
    for (const p of out.points) {
      const run = app.runs.get(p.runId);
      const candidates = run.outputs.filter((o) => o.kind === 'candidate');
      expect(p.scores.map((s) => [s.candidateIndex, s.outputId])).toEqual(
        candidates.map((o) => [o.index, o.id]),
      );
      for (const s of p.scores) {
        expect(Number.isFinite(s.score)).toBe(true);
        expect(Math.abs(s.score)).toBeLessThanOrEqual(1 + 1e-6);
        const c = stored.find((x) => x.id === s.comparisonId)!;
        expect(c).toMatchObject({ outputId: s.outputId, score: s.score, embedderSha256: EMBEDDER_SHA });
        expect(c.calibration).toMatchObject({ runId: p.runId, referenceFaceId: refFace.id });
      }
      expect(p.mean).toBeCloseTo((p.scores[0]!.score + p.scores[1]!.score) / 2, 12);
    }
    // The candidates of a run differ (different noise), so do their scores.
    for (const p of out.points) expect(p.scores[0]!.score).not.toBe(p.scores[1]!.score);
    const events = app.audit.list(fx.caseId, 0, 10_000).filter((e) => e.action === 'comparison.recorded');
    expect(events.map((e) => e.subject).sort()).toEqual(stored.map((c) => c.id).sort());

    // Asked again (the panel does when a run finishes): the same comparisons, nothing recorded twice.
    const again = await app.faceAnalysis.compareSweep(fx.caseId, sweepId, refFace.id);
    expect(again.points).toEqual(out.points);
    expect(app.faces.listComparisons(fx.caseId)).toHaveLength(4);

    // The report's sweep section lists the CS of each r with the caveat.
    const reports = await app.reports.create({ caseId: fx.caseId, formats: ['pdf', 'html'] });
    const pdfPath = join(dir.path, 'r.pdf');
    writeFileSync(pdfPath, app.reports.bytes(reports.find((r) => r.format === 'pdf')!.id).bytes);
    const text = execFileSync('pdftotext', [pdfPath, '-']).toString().replace(/\s+/g, ' ');
    expect(text).toMatch(
      /Cosine similarity \(CS\) of each candidate to reference suspect\.jpg by stub-embedder/,
    );
    for (const p of out.points) {
      const [a, b] = p.scores.map((s) => s.score.toFixed(3));
      expect(text).toContain(`r = ${p.r}: CS ${a}, ${b} (mean ${p.mean!.toFixed(3)})`);
    }
    expect(text).toContain('it is not an identification');
    const html = app.reports.bytes(reports.find((r) => r.format === 'html')!.id).bytes.toString('utf8');
    expect(html).toContain(`r = 0.1: CS ${out.points[0]!.scores[0]!.score.toFixed(3)}`);
    expect(app.audit.verify(fx.caseId, app.store).ok).toBe(true);
  }, 180_000);

  it('waits for runs not done, and refuses a probe face, an unknown sweep and extra input', async () => {
    const runs = app.runs.sweep({ caseId: fx.caseId, faceId: fx.face.id, settings, snrs: [0.1, 0.2] });
    const sweepId = runs[0]!.settings.sweepId!;
    app.runs.cancel(runs[1]!.id);
    await app.runs.whenIdle();
    const out = await app.faceAnalysis.compareSweep(fx.caseId, sweepId, refFace.id);
    expect(out.points.map((p) => [p.status, p.scores.length, p.mean === null])).toEqual([
      ['done', 2, false],
      ['cancelled', 0, true],
    ]);
    expect(
      await app.router('comparisons.sweep', { caseId: fx.caseId, sweepId, referenceFaceId: fx.face.id }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(
      await app.router('comparisons.sweep', {
        caseId: fx.caseId,
        sweepId: 'nope',
        referenceFaceId: refFace.id,
      }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(
      await app.router('comparisons.sweep', {
        caseId: fx.caseId,
        sweepId,
        referenceFaceId: refFace.id,
        r: 1,
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    // Only the done run's candidates were compared.
    expect(app.faces.listComparisons(fx.caseId)).toHaveLength(2);
  }, 180_000);

  it('the report of a sweep never compared says CS needs a reference photo', async () => {
    app.runs.sweep({ caseId: fx.caseId, faceId: fx.face.id, settings, snrs: [0.1, 0.2] });
    await app.runs.whenIdle();
    const html = (await app.reports.create({ caseId: fx.caseId, formats: ['html'] })).find(
      (r) => r.format === 'html',
    )!;
    expect(app.reports.bytes(html.id).bytes.toString('utf8')).toContain(
      'Cosine similarity (CS) to a reference photo: none. It needs a reference photo chosen for the sweep in the app.',
    );
  }, 180_000);
});
