/**
 * Issue 29: crash safety of every multi-step write, with real SIGKILLs. A child process exports a case, runs a run
 * (its outputs) or imports a case archive, and is killed at chosen steps (its file-system calls, before and after
 * each); then the next writing command opens the data folder. After it: the database is intact and every case
 * verifies, no object is named by no row, no case folder lacks its case, no temporary, partial or intent file is
 * left, and an archive at the target has its `case.exported` event (or is gone).
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApp } from '../../../src/main/compose';
import { sha256Hex } from '../../../src/main/crypto';
import { objectReferences } from '../../../src/main/services/staged-change';
import { caseWithFace } from '../../helpers/case-fixture';
import { tempDir } from '../../helpers/temp-dir';
import { testExecutor, testRunSettings } from '../../helpers/test-executor';

const ROOT = resolve(import.meta.dirname, '../../..');
/** Kill points per change, spread over its steps (FACET_KILL_POINTS raises it). */
const POINTS = Number(process.env.FACET_KILL_POINTS ?? 4);
const tmp = tempDir();
const template = join(tmp.path, 'template');
const archive = join(tmp.path, 'in.tar');
let n = 0;

/** Runs the child; with killAt >= 0 kills it with SIGKILL when it reaches that step. */
function child(
  op: string,
  dataDir: string,
  killAt: number,
  path: string,
): Promise<{ steps: number; killed: boolean }> {
  return new Promise((res, rej) => {
    const c = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'test/main/fixtures/kill-step-child.ts'),
        op,
        dataDir,
        String(killAt),
        path,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    let killed = false;
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^at \d+$/m.test(out) && !killed) {
        killed = true;
        c.kill('SIGKILL');
      }
    });
    c.on('exit', (code, sig) => {
      const done = /^done (\d+)$/m.exec(out);
      if (killed && sig === 'SIGKILL') res({ steps: killAt, killed: true });
      else if (code === 0 && done) res({ steps: Number(done[1]), killed: false });
      else rej(new Error(`child ${op} exited ${code ?? sig}: ${out}${err}`));
    });
  });
}

/** Every file under a folder, recursively. */
function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => !d.isDirectory())
    .map((d) => join(d.parentPath, d.name));
}

/** The next writing command, then the checks. */
function checkAfterNextCommand(dataDir: string, target: string): void {
  composeApp({ dataDir, executor: testExecutor() }).close();
  const raw = new Database(join(dataDir, 'facet.sqlite'), { readonly: true });
  try {
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    raw.close();
  }
  const app = composeApp({ dataDir, readOnly: true });
  try {
    for (const c of app.cases.list()) expect(app.audit.verify(c.id, app.store)).toMatchObject({ ok: true });
    const referenced = objectReferences(app.db);
    const caseIds = new Set(app.cases.list().map((c) => c.id));
    for (const caseId of existsSync(join(dataDir, 'cases')) ? readdirSync(join(dataDir, 'cases')) : []) {
      expect(caseIds.has(caseId), `case folder ${caseId} has a case`).toBe(true);
      for (const f of files(join(dataDir, 'cases', caseId))) {
        const name = f.slice(f.lastIndexOf('/') + 1);
        expect(name.startsWith('.tmp-'), `temporary file ${f}`).toBe(false);
        expect(referenced(caseId, name), `object ${f} is named by a row`).toBe(true);
      }
    }
    expect(files(join(dataDir, 'pending'))).toEqual([]);
    expect(readdirSync(resolve(target, '..')).filter((f) => f.includes('.partial-'))).toEqual([]);
    if (existsSync(target)) {
      expect(statSync(target).size).toBeGreaterThan(0);
      const sha = sha256Hex(readFileSync(target));
      const caseId = app.cases.list().find((c) => c.name === 'Kill')!.id;
      const events = app.audit.list(caseId).filter((e) => e.action === 'case.exported');
      expect(
        events.some((e) => (e.payload as { sha256: string }).sha256 === sha),
        'the archive is audited',
      ).toBe(true);
    }
  } finally {
    app.close();
  }
}

beforeAll(async () => {
  const app = composeApp({ dataDir: template, executor: testExecutor(), actor: 'ann' });
  try {
    const fx = await caseWithFace(app, tmp.path);
    app.cases.rename(fx.caseId, 'Kill');
    app.runs.enqueue({
      caseId: fx.caseId,
      faceId: fx.face.id,
      settings: testRunSettings('1'),
    });
    await app.runs.whenIdle();
  } finally {
    app.close();
  }
  // An archive of another case, from another workstation.
  const other = composeApp({ dataDir: join(tmp.path, 'other'), executor: testExecutor(), actor: 'bob' });
  try {
    const fx = await caseWithFace(other, join(tmp.path));
    other.paths.allowWrite(archive);
    other.archive.export(fx.caseId, archive);
  } finally {
    other.close();
  }
}, 120_000);
afterAll(() => tmp.remove());

describe('SIGKILL at the steps of a change, then the next command', () => {
  for (const op of ['export', 'run', 'import'] as const) {
    it(`${op}: no orphan object, no partial, temporary or intent file, no unaudited archive`, async () => {
      const fresh = (): { dataDir: string; target: string; path: string } => {
        const dir = join(tmp.path, `k${n++}`);
        cpSync(template, join(dir, 'data'), { recursive: true });
        const target = join(dir, 'case.tar');
        return { dataDir: join(dir, 'data'), target, path: op === 'import' ? archive : target };
      };
      const whole = fresh();
      const { steps } = await child(op, whole.dataDir, -1, whole.path);
      checkAfterNextCommand(whole.dataDir, whole.target);
      expect(steps).toBeGreaterThan(4);
      // Spread over the steps, always with the last ones (after the final rename, inside the committing transaction).
      const points = new Set<number>([steps - 1, steps - 3]);
      for (let i = 0; i < POINTS; i++) points.add(Math.floor(((i + 0.5) * steps) / POINTS));
      for (const k of [...points].sort((a, b) => a - b)) {
        const f = fresh();
        const r = await child(op, f.dataDir, k, f.path);
        expect(r.killed).toBe(true);
        checkAfterNextCommand(f.dataDir, f.target);
      }
    }, 600_000);
  }
});
