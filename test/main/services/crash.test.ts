import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeApp } from '../../../src/main/compose';
import { tempDir } from '../../helpers/temp-dir';
import { testExecutor } from '../../helpers/test-executor';

const ROOT = resolve(import.meta.dirname, '../../..');

describe('crash in the middle of a run', () => {
  it('a killed process leaves an intact database, the run interrupted and nothing else lost', async () => {
    const dir = tempDir();
    try {
      const data = join(dir.path, 'data');
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'test/main/fixtures/crash-child.ts'), data, dir.path],
        {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const line = await new Promise<string>((res, rej) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) res(out.split('\n')[0]!);
        });
        child.on('exit', (code) => rej(new Error(`child exited ${code}: ${err}`)));
      });
      const before = JSON.parse(line) as {
        caseId: string;
        runId: string;
        evidence: number;
        faces: number;
        events: number;
      };
      const exited = new Promise((r) => child.on('exit', (_c, sig) => r(sig)));
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');

      const raw = new Database(join(data, 'facet.sqlite'));
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(
        (raw.prepare('SELECT status FROM runs WHERE id = ?').get(before.runId) as { status: string }).status,
      ).toBe('running');
      raw.close();

      const app = composeApp({ dataDir: data, executor: testExecutor() });
      try {
        const run = app.runs.get(before.runId);
        expect(run.status).toBe('interrupted');
        expect(run.progress.step).toBeGreaterThan(0);
        const count = (t: string): number =>
          (app.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
        expect({ evidence: count('evidence'), faces: count('faces'), events: count('audit_events') }).toEqual(
          {
            evidence: before.evidence,
            faces: before.faces,
            events: before.events + 1,
          },
        );
        expect(app.audit.list(before.caseId).at(-1)).toMatchObject({
          action: 'run.interrupted',
          subject: before.runId,
        });
        expect(app.audit.verify(before.caseId, app.store)).toMatchObject({ ok: true });
        const again = app.runs.rerun(before.runId);
        await app.runs.whenIdle();
        expect(app.runs.get(again.id)).toMatchObject({ status: 'done', seed: '9' });
      } finally {
        app.runs.shutdown();
        app.close();
      }
    } finally {
      dir.remove();
    }
  });
});
