import Database from 'better-sqlite3';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeApp } from '../../../src/main/compose';
import { tempDir } from '../../helpers/temp-dir';
import { caseWithFace } from '../../helpers/case-fixture';
import { testExecutor } from '../../helpers/test-executor';

/** Builds a case with evidence, a face, a finished run and a rename; returns its id and the data folder. */
async function buildCase(
  dir: string,
): Promise<{ caseId: string; evidenceSha: string; evidenceId: string; runId: string; comparisonId: string }> {
  const app = composeApp({ dataDir: join(dir, 'data'), executor: testExecutor(), actor: 'ann' });
  try {
    const { caseId, evidenceId, referenceId, face } = await caseWithFace(app, dir);
    app.runs.enqueue({
      caseId,
      faceId: face.id,
      settings: {
        modelId: 'm',
        preset: 'fast',
        candidates: 2,
        provider: 'cpu',
        dataConsistency: false,
        seed: '7',
      },
    });
    await app.runs.whenIdle();
    app.cases.rename(caseId, 'Robbery (renamed)');
    const run = app.runs.list(caseId)[0]!;
    const comparison = app.faces.recordComparison({
      caseId,
      outputId: run.outputs[0]!.id,
      referenceEvidenceId: referenceId,
      embedderId: 'e',
      embedderSha256: 'b'.repeat(64),
      score: 0.31,
      calibrationPercentile: 60,
      calibration: {},
    });
    return {
      caseId,
      evidenceId,
      evidenceSha: app.evidence.get(evidenceId).sha256,
      runId: run.id,
      comparisonId: comparison.id,
    };
  } finally {
    app.close();
  }
}

/** Opens the raw database file, as an attacker with file access would, with the append-only triggers dropped. */
function tamper(dir: string, sql: (db: Database.Database) => void): void {
  const db = new Database(join(dir, 'data', 'facet.sqlite'));
  db.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
  sql(db);
  db.close();
}

function verify(dir: string, caseId: string) {
  const app = composeApp({ dataDir: join(dir, 'data') });
  try {
    return app.audit.verify(caseId, app.store);
  } finally {
    app.close();
  }
}

describe('audit trail (C6) tamper detection', () => {
  let dir: ReturnType<typeof tempDir>;
  let c: Awaited<ReturnType<typeof buildCase>>;
  beforeEach(async () => {
    dir = tempDir();
    c = await buildCase(dir.path);
  });
  afterEach(() => dir.remove());

  it('verifies an untouched case, with every event recorded in order', () => {
    const r = verify(dir.path, c.caseId);
    expect(r).toMatchObject({ ok: true, filesChecked: expect.any(Number) });
    const app = composeApp({ dataDir: join(dir.path, 'data') });
    expect(app.audit.list(c.caseId).map((e) => e.action)).toEqual([
      'case.created',
      'evidence.imported',
      'evidence.imported',
      'face.aligned',
      'run.queued',
      'run.started',
      'run.done',
      'case.renamed',
      'comparison.recorded',
    ]);
    app.close();
  });

  it('refuses UPDATE and DELETE on events through the triggers', () => {
    const db = new Database(join(dir.path, 'data', 'facet.sqlite'));
    expect(() => db.prepare("UPDATE audit_events SET actor = 'eve' WHERE seq = 2").run()).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM audit_events WHERE seq = 2').run()).toThrow(/append-only/);
    db.close();
    expect(verify(dir.path, c.caseId).ok).toBe(true);
  });

  it('detects an edited payload at that event', () => {
    tamper(dir.path, (db) => {
      const row = db
        .prepare('SELECT payload FROM audit_events WHERE case_id = ? AND seq = 2')
        .get(c.caseId) as { payload: string };
      const p = JSON.parse(row.payload) as Record<string, unknown>;
      p.originalName = 'other.png';
      db.prepare('UPDATE audit_events SET payload = ? WHERE case_id = ? AND seq = 2').run(
        JSON.stringify(p),
        c.caseId,
      );
    });
    expect(verify(dir.path, c.caseId)).toMatchObject({
      ok: false,
      location: { table: 'audit_events', caseId: c.caseId, seq: 2 },
      reason: expect.stringMatching(/hash mismatch/),
    });
  });

  it('detects a deleted event at the gap', () => {
    tamper(dir.path, (db) =>
      db.prepare('DELETE FROM audit_events WHERE case_id = ? AND seq = 4').run(c.caseId),
    );
    expect(verify(dir.path, c.caseId)).toMatchObject({
      ok: false,
      location: { table: 'audit_events', seq: 4 },
      reason: expect.stringMatching(/missing/),
    });
  });

  it('detects events cut off the end against the recorded head', () => {
    tamper(dir.path, (db) =>
      db.prepare('DELETE FROM audit_events WHERE case_id = ? AND seq = 9').run(c.caseId),
    );
    expect(verify(dir.path, c.caseId)).toMatchObject({
      ok: false,
      location: { table: 'audit_events', seq: 9 },
      reason: expect.stringMatching(/removed from the end/),
    });
  });

  it('detects two events swapped at the first swapped position', () => {
    tamper(dir.path, (db) => {
      db.prepare('UPDATE audit_events SET seq = 1000 WHERE case_id = ? AND seq = 5').run(c.caseId);
      db.prepare('UPDATE audit_events SET seq = 5 WHERE case_id = ? AND seq = 6').run(c.caseId);
      db.prepare('UPDATE audit_events SET seq = 6 WHERE case_id = ? AND seq = 1000').run(c.caseId);
    });
    expect(verify(dir.path, c.caseId)).toMatchObject({
      ok: false,
      location: { table: 'audit_events', seq: 5 },
    });
  });

  it('detects a row whose hash no longer matches its event (evidence row edited)', () => {
    tamper(dir.path, (db) =>
      db.prepare('UPDATE evidence SET sha256 = ? WHERE id = ?').run('f'.repeat(64), c.evidenceId),
    );
    expect(verify(dir.path, c.caseId)).toMatchObject({
      ok: false,
      location: { table: 'evidence', id: c.evidenceId },
    });
  });

  it('detects a run whose seed or record was edited, and an edited comparison score', () => {
    tamper(dir.path, (db) => {
      const r = db.prepare('SELECT settings FROM runs WHERE id = ?').get(c.runId) as { settings: string };
      const settings = { ...(JSON.parse(r.settings) as object), seed: '8' };
      db.prepare('UPDATE runs SET settings = ?, seed = ? WHERE id = ?').run(
        JSON.stringify(settings),
        '8',
        c.runId,
      );
    });
    expect(verify(dir.path, c.caseId)).toMatchObject({
      ok: false,
      location: { table: 'runs', id: c.runId },
      reason: expect.stringMatching(/settings in the row .* differs/),
    });
  });

  it('detects an edited comparison score at that row', () => {
    tamper(dir.path, (db) =>
      db.prepare('UPDATE comparisons SET score = 0.99 WHERE id = ?').run(c.comparisonId),
    );
    expect(verify(dir.path, c.caseId)).toMatchObject({
      ok: false,
      location: { table: 'comparisons', id: c.comparisonId },
      reason: expect.stringMatching(/score in the row \(0.99\) differs from the audit event's \(0.31\)/),
    });
  });

  it('detects edited evidence bytes at that file, and refuses to open it', () => {
    const app0 = composeApp({ dataDir: join(dir.path, 'data') });
    const file = app0.store.pathOf(c.caseId, c.evidenceSha);
    app0.close();
    chmodSync(file, 0o644);
    const bytes = readFileSync(file);
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff;
    writeFileSync(file, bytes);
    expect(verify(dir.path, c.caseId)).toMatchObject({
      ok: false,
      location: { table: 'evidence', id: c.evidenceId, file },
      reason: expect.stringMatching(/altered/),
    });
    const app = composeApp({ dataDir: join(dir.path, 'data') });
    expect(() => app.evidence.open(c.evidenceId)).toThrow(/altered/);
    app.close();
  });
});
