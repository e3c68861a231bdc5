/**
 * Checking never writes, and an interrupted run re-runs to the same hashes. A case is left as a crash leaves it (a
 * run `running`, the queue lock held by a dead process); `audit verify`, `audit log`, `report --check`, `verify`
 * and the listings leave the database file byte-identical, the lock as it was and the run `running`. The first
 * writing command recovers (the run becomes `interrupted`, audited), and `facet runs rerun` gives the outputs of an
 * uninterrupted run with the same seed, bit for bit. Real onnxruntime with the analytic test model (2 steps).
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { composeApp } from '../../src/main/compose';
import { createInferenceExecutor, type InferenceExecutor } from '../../src/main/inference/executor';
import type { Run, RunSettings } from '../../src/shared/contract';
import { caseWithFace } from '../helpers/case-fixture';
import { tempDir } from '../helpers/temp-dir';

const tmp = tempDir();
const data = join(tmp.path, 'data');
const manifest = join(tmp.path, 'report.manifest.json');
let executor: InferenceExecutor;
let caseId: string;
let uninterrupted: Run;
let crashedRunId: string;

const settings: RunSettings = {
  modelId: 'analytic-ve',
  preset: 'fast',
  steps: 2,
  candidates: 2,
  seed: '31337',
  provider: 'cpu',
  threads: 1,
  dataConsistency: false,
};
const outputsOf = (r: Run) =>
  r.outputs.map((o) => ({ kind: o.kind, index: o.index, sha256: o.sha256, pixels: o.pixelsSha256 }));
const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

async function facet(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(['--data-dir', data, ...args], {
    executor,
    out: (l) => (out += `${l}\n`),
    err: (l) => (out += `${l}\n`),
  });
  return { code, out };
}

/** Reads the database without any app code (read-only). */
function peek<T>(sql: string, ...args: unknown[]): T {
  const db = new Database(join(data, 'facet.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).get(...args) as T;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  executor = createInferenceExecutor();
  const app = composeApp({ dataDir: data, executor, actor: 'ann' });
  const fx = await caseWithFace(app, tmp.path);
  caseId = fx.caseId;
  const first = app.runs.enqueue({ caseId, faceId: fx.face.id, settings });
  await app.runs.whenIdle();
  uninterrupted = app.runs.get(first.id);
  expect(uninterrupted.status).toBe('done');
  const [report] = await app.reports.create({ caseId, runId: first.id, formats: ['manifest'] });
  app.paths.allowFile(manifest);
  app.reports.exportTo(report!.id, manifest);
  // The same run again, cut off by a "crash": the process stops without marking it, its lock stays behind.
  const second = app.runs.enqueue({ caseId, faceId: fx.face.id, settings });
  expect(app.runs.get(second.id).status).toBe('running');
  crashedRunId = second.id;
  app.runs.shutdown({ markInterrupted: false });
  await app.runs.whenIdle();
  app.db.close();
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  writeFileSync(join(data, 'queue.lock'), String(dead));
}, 120_000);
afterAll(async () => {
  await executor.close();
  tmp.remove();
});

describe('checking commands on a crashed case with a stale queue lock', () => {
  it('leave the database byte-identical, the lock as it was and the run running', async () => {
    const before = {
      db: sha(join(data, 'facet.sqlite')),
      lock: readFileSync(join(data, 'queue.lock'), 'utf8'),
    };
    const events = peek<{ n: number }>('SELECT count(*) AS n FROM audit_events').n;

    const verify = await facet(['audit', 'verify', caseId]);
    expect(verify).toMatchObject({ code: 0, out: expect.stringMatching(/^OK: case .*, \d+ events/) });
    expect((await facet(['audit', 'log', caseId])).out).toMatch(/run\.started/);
    const check = await facet(['report', caseId, '--check']);
    expect(check).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^OK: a report of case .* can be made/),
    });
    expect((await facet(['runs', 'show', caseId, crashedRunId])).out).toMatch(/running/);
    expect((await facet(['runs', 'list', caseId])).code).toBe(0);
    expect((await facet(['cases', 'list'])).code).toBe(0);
    expect((await facet(['evidence', 'list', caseId])).code).toBe(0);
    const reverify = await facet(['verify', manifest]);
    expect(reverify).toMatchObject({ code: 0, out: expect.stringMatching(/OK: the manifest verifies/) });

    expect(sha(join(data, 'facet.sqlite'))).toBe(before.db);
    expect(readFileSync(join(data, 'queue.lock'), 'utf8')).toBe(before.lock);
    const wal = join(data, 'facet.sqlite-wal');
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    expect(peek<{ n: number }>('SELECT count(*) AS n FROM audit_events').n).toBe(events);
    expect(peek<{ status: string }>('SELECT status FROM runs WHERE id = ?', crashedRunId).status).toBe(
      'running',
    );
  });

  it('create nothing where there is no data folder', async () => {
    const none = join(tmp.path, 'no-such-data');
    const r = await runCli(['--data-dir', none, 'cases', 'list'], { out: () => {}, err: () => {} });
    expect(r).toBe(0);
    expect(existsSync(none)).toBe(false);
  });
});

describe('facet runs rerun of an interrupted run', () => {
  it('recovers at the first writing command (audited), then re-runs to the uninterrupted hashes', async () => {
    const r = await facet(['runs', 'rerun', caseId, crashedRunId]);
    expect(r.code).toBe(0);
    const app = composeApp({ dataDir: data, readOnly: true });
    try {
      expect(app.runs.get(crashedRunId).status).toBe('interrupted');
      const events = app.audit.list(caseId, 0, 1000);
      const interrupted = events.find((e) => e.action === 'run.interrupted' && e.subject === crashedRunId);
      expect(interrupted).toMatchObject({ actor: 'system' });
      const rerun = app.runs.list(caseId).find((x) => x.rerunOf === crashedRunId)!;
      expect(rerun).toMatchObject({ status: 'done', seed: settings.seed });
      expect(outputsOf(rerun)).toEqual(outputsOf(uninterrupted));
      expect(r.out).toContain(rerun.outputs[0]!.sha256);
      expect(app.audit.verify(caseId, app.store)).toMatchObject({ ok: true });
    } finally {
      app.close();
    }
  });
});
