/**
 * C6 coverage: every column of the live schema is either cross-checked against the audit chain or exempt with a
 * reason (and the spec's table says the same); forging any covered column, as an attacker with the SQLite file
 * would (triggers dropped), is caught by `audit verify` with table, row and column, and the case's report is
 * refused with that first broken link; a case archive whose rows disagree with its events is refused on import.
 */
import Database from 'better-sqlite3';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import { composeApp } from '../../../src/main/compose';
import { CASE_TABLES, COVERAGE, replayCase } from '../../../src/main/services/audit-coverage';
import { checkedColumns } from '../../../src/main/services/audit-crosscheck';
import { readTar, writeTar } from '../../../src/main/store/tar';
import { caseWithFace } from '../../helpers/case-fixture';
import { tempDir } from '../../helpers/temp-dir';
import { testExecutor } from '../../helpers/test-executor';

const ROOT = resolve(import.meta.dirname, '../../..');
const tmp = tempDir();
const pristine = join(tmp.path, 'pristine');
let caseId: string;

beforeAll(async () => {
  const app = composeApp({ dataDir: pristine, executor: testExecutor(), actor: 'ann' });
  try {
    const fx = await caseWithFace(app, tmp.path);
    caseId = fx.caseId;
    const settings = {
      modelId: 'm',
      preset: 'fast' as const,
      candidates: 2,
      provider: 'cpu' as const,
      dataConsistency: false,
      seed: '7',
    };
    app.runs.enqueue({ caseId, faceId: fx.face.id, settings });
    await app.runs.whenIdle();
    const run = app.runs.list(caseId)[0]!;
    app.runs.rerun(run.id);
    await app.runs.whenIdle();
    app.faces.recordComparison({
      caseId,
      outputId: run.outputs[0]!.id,
      referenceEvidenceId: fx.referenceId,
      embedderId: 'e',
      embedderSha256: 'b'.repeat(64),
      score: 0.31,
      calibrationPercentile: 60,
      calibration: { pairs: 10 },
    });
    await app.reports.create({ caseId, runId: run.id, formats: ['manifest'] });
    app.cases.rename(caseId, 'Robbery (renamed)');
    app.cases.close(caseId);
    expect(app.audit.verify(caseId, app.store)).toMatchObject({ ok: true });
  } finally {
    app.close();
  }
}, 60_000);
afterAll(() => tmp.remove());

describe('column coverage (C6)', () => {
  it('lists every column of the live schema, and only those', () => {
    const db = new Database(join(pristine, 'facet.sqlite'), { readonly: true });
    const tables = (
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .all() as Array<{
        name: string;
      }>
    ).map((t) => t.name);
    const live = Object.fromEntries(
      tables.map((t) => [
        t,
        (db.prepare(`PRAGMA table_info(${t})`).all() as Array<{ name: string }>).map((c) => c.name).sort(),
      ]),
    );
    db.close();
    const missing = tables.flatMap((t) => live[t]!.filter((c) => !COVERAGE[t]?.[c]).map((c) => `${t}.${c}`));
    expect(missing, 'columns in neither the covered nor the exempt list').toEqual([]);
    const stale = Object.entries(COVERAGE).flatMap(([t, cols]) =>
      Object.keys(cols)
        .filter((c) => !live[t]?.includes(c))
        .map((c) => `${t}.${c}`),
    );
    expect(stale, 'listed columns the schema does not have').toEqual([]);
  });

  it('is the table docs/specs/c6-audit.md shows', () => {
    const doc = readFileSync(join(ROOT, 'docs/specs/c6-audit.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| (\w+) \| (\w+) \| (.+?) \| (\d*) \|$/gm)].map((m) => [
      `${m[1]}.${m[2]}`,
      m[3]!.startsWith('exempt') ? 'exempt' : `covered since ${m[4]}`,
    ]);
    const code = Object.entries(COVERAGE).flatMap(([t, cols]) =>
      Object.entries(cols).map(([c, r]) => [
        `${t}.${c}`,
        'exempt' in r ? 'exempt' : `covered since ${r.since ?? 1}`,
      ]),
    );
    expect(rows).toEqual(code);
  });

  it('replays a value for every covered column of every row of a real case', () => {
    const app = composeApp({ dataDir: pristine, readOnly: true });
    try {
      const replayed = replayCase(app.audit.all(caseId));
      expect(replayed.format).toBe(2);
      for (const t of CASE_TABLES) {
        expect(replayed.rows[t].size, t).toBeGreaterThan(0);
        for (const row of replayed.rows[t].values())
          expect(Object.keys(row).sort()).toEqual(expect.arrayContaining(checkedColumns(t, 2).checked));
      }
    } finally {
      app.close();
    }
  });

  it('checks the format-1 columns only on cases of the older audit format', () => {
    expect(checkedColumns('evidence', 1).unchecked).toEqual(['imported_at']);
    expect(checkedColumns('outputs', 1).unchecked).toEqual(['id', 'width', 'height']);
    expect(checkedColumns('runs', 2).unchecked).toEqual([]);
  });
});

/** A different value of the same type that the schema's CHECK constraints accept. */
function forged(table: string, column: string, v: string | number | null): string | number {
  const alt: Record<string, Record<string, string>> = {
    role: { probe: 'reference', reference: 'probe' },
    method: { manual: 'auto', auto: 'manual' },
    status: { open: 'closed', closed: 'open', done: 'failed', queued: 'done', failed: 'done' },
    kind: { candidate: 'uncertainty' },
    format: { manifest: 'html' },
  };
  if (typeof v === 'string' && alt[column]?.[v]) return alt[column][v];
  if (v === null)
    return column.endsWith('_at')
      ? '2001-01-01T00:00:00.000Z'
      : column === 'calibration_percentile'
        ? 50
        : 'forged';
  if (typeof v === 'number') return Number.isInteger(v) ? v + 1 : v + 0.25;
  if (column === 'id' || column === 'case_id' || column === 'run_id') return `${v}-forged`;
  if (/^[0-9a-f]{64}$/.test(v)) return v.slice(0, 63) + (v.endsWith('0') ? '1' : '0');
  if (/^\d{4}-\d\d-\d\dT/.test(v)) return new Date(Date.parse(v) + 1000).toISOString();
  if (v.startsWith('{') || v.startsWith('[')) {
    const j = JSON.parse(v) as unknown;
    return JSON.stringify(Array.isArray(j) ? [...j, 0] : { ...(j as object), forged: true });
  }
  return column === 'original_name' ? 'innocent.jpg' : `${v} (forged)`;
}

/** The row of a table to forge: the case's last row (outputs: the second candidate, so kind stays unique). */
function targetRow(db: Database.Database, table: string): { rowid: number; id: string } {
  const sql =
    table === 'cases'
      ? 'SELECT rowid, id FROM cases WHERE id = ?'
      : table === 'outputs'
        ? "SELECT o.rowid, o.id FROM outputs o JOIN runs r ON r.id = o.run_id WHERE r.case_id = ? AND o.kind = 'candidate' AND o.idx = 1"
        : `SELECT rowid, id FROM ${table} WHERE case_id = ? ORDER BY rowid DESC`;
  return db.prepare(sql).get(caseId) as { rowid: number; id: string };
}

describe('forging a covered column (triggers dropped)', () => {
  const covered = CASE_TABLES.flatMap((t) => checkedColumns(t, 2).checked.map((c) => [t, c] as const));

  it.each(covered)('%s.%s is caught by audit verify, and the report is refused', async (table, column) => {
    const dir = join(tmp.path, `forge-${table}-${column}`);
    cpSync(pristine, dir, { recursive: true });
    const db = new Database(join(dir, 'facet.sqlite'));
    db.pragma('foreign_keys = OFF');
    db.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
    const row = targetRow(db, table);
    const before = (
      db.prepare(`SELECT ${column} AS v FROM ${table} WHERE rowid = ?`).get(row.rowid) as {
        v: string | number | null;
      }
    ).v;
    const value = forged(table, column, before);
    expect(value).not.toEqual(before);
    db.prepare(`UPDATE ${table} SET ${column} = ? WHERE rowid = ?`).run(value, row.rowid);
    db.close();

    const target = table === 'cases' && column === 'id' ? String(value) : caseId;
    const app = composeApp({ dataDir: dir, readOnly: true });
    try {
      const r = app.audit.verify(target, app.store);
      expect(r).toMatchObject({
        ok: false,
        location: { table, id: column === 'id' ? value : row.id, column },
      });
      await expect(app.reports.manifest(target)).rejects.toThrow(
        new RegExp(
          `does not verify, so no report is made. First broken link: ${table}, id [^,]+, column ${column}`,
        ),
      );
    } finally {
      app.close();
    }
  });

  it('names the forged original_name on the command line, and `report --check` refuses the case', async () => {
    const dir = join(tmp.path, 'forge-cli');
    cpSync(pristine, dir, { recursive: true });
    const db = new Database(join(dir, 'facet.sqlite'));
    db.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
    db.prepare("UPDATE evidence SET original_name = 'innocent.jpg' WHERE case_id = ?").run(caseId);
    db.close();
    const lines: string[] = [];
    const facet = (args: string[]) =>
      runCli(['--data-dir', dir, ...args], { out: (l) => lines.push(l), err: (l) => lines.push(l) });
    expect(await facet(['audit', 'verify', caseId])).toBe(1);
    expect(lines.at(-1)).toMatch(
      /^BROKEN: .* at evidence, id .*, column original_name: original_name in the row \("innocent.jpg"\) differs from the audit event's \("still.png"\)/,
    );
    expect(await facet(['report', caseId, '--check'])).toBe(1);
    expect(lines.at(-1)).toMatch(/^REFUSED: .*First broken link: evidence, id .*, column original_name/);
    expect(await facet(['report', caseId, '--check', '--run', 'nothing'])).toBe(1);
  });
});

describe('case import', () => {
  it('refuses an archive whose rows disagree with its events, keeping nothing', async () => {
    const src = join(tmp.path, 'export-src');
    cpSync(pristine, src, { recursive: true });
    const app = composeApp({ dataDir: src, actor: 'ann' });
    const archive = join(tmp.path, 'case.tar');
    try {
      app.paths.allowFile(archive);
      app.archive.export(caseId, archive);
    } finally {
      app.close();
    }
    const entries = readTar(readFileSync(archive));
    const head = entries.find((e) => e.name === 'case.json')!;
    const m = JSON.parse(Buffer.from(head.data).toString('utf8')) as {
      tables: { outputs: Array<Record<string, unknown>> };
    };
    m.tables.outputs[0]!.metrics = JSON.stringify({ consistency: 0.001 });
    const forgedTar = join(tmp.path, 'forged.tar');
    writeFileSync(
      forgedTar,
      writeTar(
        entries.map((e) => (e === head ? { name: e.name, data: Buffer.from(JSON.stringify(m)) } : e)),
        0,
      ),
    );
    const dest = composeApp({ dataDir: join(tmp.path, 'import-dest'), actor: 'bob' });
    try {
      dest.paths.allowFile(forgedTar);
      expect(() => dest.archive.import(forgedTar)).toThrow(
        /does not verify: metrics in the row .* differs from the audit event's .*"table":"outputs".*"column":"metrics"/,
      );
      expect(dest.cases.list()).toEqual([]);
      dest.paths.allowFile(archive);
      expect(dest.archive.import(archive)).toMatchObject({ caseId });
    } finally {
      dest.close();
    }
  });
});
