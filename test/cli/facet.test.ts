import Database from 'better-sqlite3';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { composeApp } from '../../src/main/compose';
import { tempDir } from '../helpers/temp-dir';
import { caseWithFace, writePhoto } from '../helpers/case-fixture';
import { testExecutor } from '../helpers/test-executor';

/** Runs the CLI in-process and captures what it prints. */
async function facet(
  args: string[],
  executor = testExecutor(),
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { executor, out: (l) => (out += `${l}\n`), err: (l) => (err += `${l}\n`) });
  return { code, out, err };
}

// Runs here use the deterministic test executor (a test double of the sampling engine).
describe('facet CLI', () => {
  const dir = tempDir();
  const data = join(dir.path, 'data');
  const dd = ['--data-dir', data];
  let caseId: string;
  let runId: string;

  beforeAll(async () => {
    const app = composeApp({ dataDir: data, executor: testExecutor(), actor: 'ann' });
    const fx = await caseWithFace(app, dir.path);
    caseId = fx.caseId;
    runId = app.runs.enqueue({
      caseId,
      faceId: fx.face.id,
      settings: {
        modelId: 'm',
        preset: 'fast',
        candidates: 2,
        provider: 'cpu',
        dataConsistency: false,
        seed: '77',
      },
    }).id;
    await app.runs.whenIdle();
    app.close();
  });
  afterAll(() => dir.remove());

  it('manages cases and evidence', async () => {
    const created = await facet([...dd, 'cases', 'create', 'Case', 'B']);
    expect(created.code).toBe(0);
    // Labelled: `case  <name>  <uuid>`.
    const id = /^case {2}Case B {2}([0-9a-f-]{36})$/.exec(created.out.trim())![1]!;
    expect((await facet([...dd, 'cases', 'rename', id, 'Case C'])).out).toContain('Case C');
    const photo = await writePhoto(dir.path, 'cli.png');
    const imp = await facet([...dd, 'evidence', 'import', id, photo, '--reference']);
    expect(imp).toMatchObject({ code: 0 });
    expect((await facet([...dd, 'evidence', 'list', id])).out).toMatch(/reference .* cli\.png/);
    expect((await facet([...dd, 'cases', 'close', id])).out).toContain('closed');
    const list = await facet([...dd, 'cases', 'list']);
    expect(list.out).toMatch(/^case {2}Case C {2}[0-9a-f-]{36} {2}closed/m);
    expect(await facet([...dd, 'cases', 'frobnicate'])).toMatchObject({ code: 1 });
    expect(await facet([...dd, 'nonsense'])).toMatchObject({ code: 2 });
  });

  it('writes a report, and `facet verify` re-runs its manifest to identical hashes', async () => {
    const outDir = join(dir.path, 'reports');
    const r = await facet([...dd, 'report', caseId, '--run', runId, '--out', outDir]);
    expect(r.code).toBe(0);
    // Named by case name and date, and the run's number in the case.
    const files = readdirSync(outDir).sort();
    expect(files).toHaveLength(3);
    for (const f of files)
      expect(f).toMatch(/^report-[A-Za-z0-9._-]+-\d{4}-\d\d-\d\d-run-\d+\.(html|manifest\.json|pdf)$/);
    const manifest = join(
      outDir,
      files.find((f) => f.endsWith('.manifest.json'))!,
    );
    const v = await facet([...dd, 'verify', manifest]);
    expect(v).toMatchObject({ code: 0 });
    expect(v.out).toMatch(/identical: all 5 output hashes match/);
    expect(v.out).toMatch(/OK: the manifest verifies/);
    const other = await facet(
      [...dd, 'verify', manifest],
      testExecutor({ provider: 'cuda', perturb: 1 / 255 }),
    );
    expect(other.out).toMatch(/differ: recorded on cpu .* re-run on cuda .* max abs difference 1/);
  });

  it('exports and imports a case, which then verifies', async () => {
    const tar = join(dir.path, 'x.tar');
    expect((await facet([...dd, 'case', 'export', caseId, tar])).code).toBe(0);
    const other = ['--data-dir', join(dir.path, 'other')];
    const imp = await facet([...other, 'case', 'import', tar]);
    expect(imp.out).toMatch(/imported case .* events verified/);
    expect(await facet([...other, 'audit', 'verify', caseId])).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^OK: /),
    });
  });

  it('`facet audit verify` reports OK, then the first broken link with its location', async () => {
    expect(await facet([...dd, 'audit', 'verify', caseId])).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^OK: case .* events/),
    });
    expect((await facet([...dd, 'audit', 'log', caseId])).out).toMatch(/1 .* case\.created/);
    const db = new Database(join(data, 'facet.sqlite'));
    db.exec('DROP TRIGGER audit_events_no_update');
    db.prepare("UPDATE audit_events SET time = '2020-01-01T00:00:00.000Z' WHERE case_id = ? AND seq = 3").run(
      caseId,
    );
    db.close();
    const bad = await facet([...dd, 'audit', 'verify', caseId]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/^BROKEN: case .* at audit_events, seq 3: hash mismatch/);
    expect(existsSync(data)).toBe(true);
  });
});
