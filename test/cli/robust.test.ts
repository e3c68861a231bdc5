/**
 * Issue 29 (robustness), the small cases: `facet verify` on a FIFO and on /dev/zero fails at once, a newline or an
 * escape sequence in a file name cannot forge a listing line, a queued run survives an unrelated writing command,
 * and full-disk and permission errors are named as such.
 */
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { printable } from '../../src/cli/printable';
import { systemError } from '../../src/main/api/system-errors';
import { composeApp } from '../../src/main/compose';
import { caseWithFace, writePhoto } from '../helpers/case-fixture';
import { tempDir } from '../helpers/temp-dir';
import { testExecutor } from '../helpers/test-executor';

const tmp = tempDir();
afterAll(() => tmp.remove());

/** A control character other than the newlines that end lines. */
const hasControl = (s: string): boolean =>
  [...s].some((c) => {
    const n = c.charCodeAt(0);
    return (n < 32 && n !== 10) || (n >= 127 && n < 160);
  });

async function facet(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    executor: testExecutor(),
    out: (l) => (out += `${l}\n`),
    err: (l) => (err += `${l}\n`),
  });
  return { code, out, err };
}

describe('facet verify reads only a regular file of bounded size', () => {
  it('refuses a FIFO (no writer) and /dev/zero within 2 s, naming what they are', async () => {
    const fifo = join(tmp.path, 'manifest.json');
    execFileSync('mkfifo', [fifo]);
    const data = join(tmp.path, 'verify-data');
    for (const [path, what] of [
      [fifo, /manifest.json is a FIFO \(named pipe\), not a regular file/],
      ['/dev/zero', /\/dev\/zero is a device, not a regular file/],
    ] as const) {
      const t0 = Date.now();
      const r = await facet(['--data-dir', data, 'verify', path]);
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(what);
      expect(r.err).not.toMatch(/Internal error/);
    }
  });
});

describe('listings print names safely', () => {
  it('a newline in an evidence file name cannot forge a listing line, escapes do not reach the terminal', async () => {
    const data = join(tmp.path, 'names');
    const photos = join(tmp.path, 'photos');
    execFileSync('mkdir', ['-p', photos]);
    const forged =
      'a.png\n00000000-0000-0000-0000-000000000000  probe      ' + 'f'.repeat(64) + '  1x1  evil.png';
    const src = await writePhoto(photos, 'plain.png');
    const named = join(photos, forged);
    writeFileSync(named, execFileSync('cat', [src]));
    const esc = join(photos, 'b\x1b]0;owned\x07.png');
    writeFileSync(esc, await writePhoto(photos, 'c.png', 90, 90, 2).then((p) => execFileSync('cat', [p])));
    // Case names refuse control characters at the contract; file names cannot be refused (they are what they are).
    expect((await facet(['--data-dir', data, 'cases', 'create', 'Case\nfake line'])).code).toBe(1);
    expect((await facet(['--data-dir', data, 'cases', 'create', 'Case'])).code).toBe(0);
    expect((await facet(['--data-dir', data, 'evidence', 'import', 'Case', named])).code).toBe(0);
    expect((await facet(['--data-dir', data, 'evidence', 'import', 'Case', esc])).code).toBe(0);
    const list = await facet(['--data-dir', data, 'evidence', 'list', 'Case']);
    const lines = list.out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).toContain('a.png\\n00000000-0000');
    expect(hasControl(list.out)).toBe(false);
    const log = await facet(['--data-dir', data, 'audit', 'log', 'Case']);
    expect(log.out).toContain('a.png\\n00000000');
    expect(hasControl(log.out)).toBe(false);
    expect(printable('x\u009b2J\u202ey')).toBe('x\\u009b2J\\u202ey');
  });
});

describe('a queued run belongs to the process that queued it', () => {
  it('survives an unrelated writing command (cases create) after the queue holder exits', async () => {
    const data = join(tmp.path, 'queue');
    // Another live process holds the queue (a `facet run` running its own run, say).
    const holder = spawn('sleep', ['60']);
    try {
      const setup = composeApp({ dataDir: data, executor: testExecutor(), actor: 'ann' });
      const fx = await caseWithFace(setup, tmp.path);
      setup.close();
      writeFileSync(join(data, 'queue.lock'), String(holder.pid));
      // The `facet run` that queues: it cannot take the queue yet, so the run waits, queued.
      const mine = composeApp({ dataDir: data, executor: testExecutor(), queue: 'own', actor: 'ann' });
      try {
        const run = mine.runs.enqueue({
          caseId: fx.caseId,
          faceId: fx.face.id,
          settings: { modelId: 'm', preset: 'fast', candidates: 1, provider: 'cpu', dataConsistency: false },
        });
        expect(mine.queue.claim()).toBe(false);
        expect(mine.runs.get(run.id).status).toBe('queued');
        holder.kill('SIGKILL');
        await new Promise((r) => holder.once('exit', r));
        // The holder is gone; an unrelated command takes the stale lock, and must neither start nor interrupt it.
        for (const args of [
          ['cases', 'create', 'Other'],
          ['cases', 'rename', 'Other', 'Renamed'],
        ]) {
          const r = await facet(['--data-dir', data, ...args]);
          expect(r.code).toBe(0);
          expect(mine.runs.get(run.id).status).toBe('queued');
        }
        const actions = mine.audit.list(fx.caseId).map((e) => e.action);
        expect(actions).not.toContain('run.started');
        expect(actions).not.toContain('run.interrupted');
        // Its own process runs it.
        expect(mine.queue.claim()).toBe(true);
        await mine.runs.whenIdle();
        expect(mine.runs.get(run.id).status).toBe('done');
      } finally {
        mine.close();
      }
    } finally {
      holder.kill('SIGKILL');
    }
  });
});

describe('machine errors are named, not called internal', () => {
  it('disk full, permission, read-only and busy', () => {
    const e = (code: string, message = 'x'): Error => Object.assign(new Error(message), { code });
    expect(systemError(e('SQLITE_FULL', 'database or disk is full'))?.message).toMatch(
      /^Not enough disk space/,
    );
    expect(systemError(e('ENOSPC'))?.message).toMatch(/^Not enough disk space/);
    expect(systemError(e('EACCES'))?.message).toMatch(/^Permission denied/);
    expect(systemError(e('EPERM'))?.message).toMatch(/^Permission denied/);
    expect(systemError(e('SQLITE_READONLY'))?.message).toMatch(/read-only/);
    expect(systemError(e('SQLITE_BUSY'))?.code).toBe('conflict');
    expect(systemError(new Error('a bug'))).toBeNull();
  });

  it('a data folder that cannot be written is named as such by the CLI', async () => {
    if (process.getuid?.() === 0) return; // root writes anywhere
    const ro = join(tmp.path, 'ro');
    execFileSync('mkdir', ['-p', ro]);
    execFileSync('chmod', ['555', ro]);
    const r = await facet(['--data-dir', join(ro, 'data'), 'cases', 'create', 'X']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Permission denied|cannot be written|cannot be opened/);
  });
});
