/**
 * What the CLI says while it works and how it numbers things: an estimate and progress on stderr within seconds of
 * a slow run starting, Ctrl-C marks the run cancelled (audited) before the exit, `facet run` reuses the face the
 * case already aligned, and every number a user sees is 1-based (flags, file names, messages), as in the app.
 * Real onnxruntime with the analytic test model; the sample face is an aligned crop (no detection).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { callOrThrow } from '../../src/main/api/router';
import { composeApp } from '../../src/main/compose';
import { tempDir } from '../helpers/temp-dir';

const ROOT = resolve(import.meta.dirname, '../..');
const SAMPLE = join(ROOT, 'samples/faces/celebahq-00.png');
const tmp = tempDir('facet-cli-vocab-');
afterAll(() => tmp.remove());

async function facet(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (l) => (out += `${l}\n`), err: (l) => (err += `${l}\n`) });
  return { code, out, err };
}

const FAST = ['--model', 'analytic-ve', '--steps', '2', '--candidates', '2', '--seed', '7', '--threads', '1'];

describe('facet run vocabulary', () => {
  it('labels what it creates, reuses the aligned face, numbers from 1 and writes or names its files', async () => {
    const dd = ['--data-dir', join(tmp.path, 'a')];
    const created = await facet([...dd, 'cases', 'create', 'Bank robbery']);
    expect(created.out).toMatch(/^case {2}Bank robbery {2}[0-9a-f-]{36}\n$/);
    const imported = await facet([...dd, 'evidence', 'import', 'Bank robbery', SAMPLE]);
    expect(imported.out).toMatch(/^evidence {2}celebahq-00\.png {2}[0-9a-f-]{36}\nsha256 {4}[0-9a-f]{64}\n/);

    const out = join(tmp.path, 'out');
    const first = await facet([
      ...dd,
      'run',
      'Bank robbery',
      'celebahq-00.png',
      '--aligned',
      ...FAST,
      '--out',
      out,
    ]);
    expect(first.code).toBe(0);
    expect(first.err).toMatch(/aligned face 1 of the case/);
    expect(first.out).toMatch(/^candidate 1 /m);
    expect(first.out).not.toMatch(/candidate 0/);
    for (const f of ['candidate-1.png', 'candidate-2.png', 'bicubic.png', 'uncertainty.png', 'run.json'])
      expect(existsSync(join(out, f)), f).toBe(true);
    expect(existsSync(join(out, 'candidate-0.png'))).toBe(false);

    const second = await facet([...dd, 'run', 'Bank robbery', 'celebahq-00.png', '--aligned', ...FAST]);
    expect(second.code).toBe(0);
    expect(second.err).toMatch(/using aligned face 1 of the case/);
    expect(second.out).toMatch(/^stored {2}candidate-1\.png/m);

    const list = await facet([...dd, 'runs', 'list', 'Bank robbery']);
    expect(list.out).toMatch(/^run 1 /m);
    expect(list.out).toMatch(/^run 2 /m);
    expect((await facet([...dd, 'run', 'Bank robbery', 'celebahq-00.png', '--face', '0'])).err).toMatch(
      /--face must be a face number \(1, 2, \.\.\.\), not "0"/,
    );

    const app = composeApp({ dataDir: dd[1]!, readOnly: true });
    try {
      const c = (await callOrThrow(app.router, 'cases.list', {}))[0]!;
      expect(await callOrThrow(app.router, 'faces.list', { caseId: c.id })).toHaveLength(1);
      expect(await callOrThrow(app.router, 'runs.list', { caseId: c.id })).toHaveLength(2);
    } finally {
      app.close();
    }
  });

  it('facet run --preset sde-ve prints an estimate and progress within 5 s; Ctrl-C leaves it cancelled, audited', async () => {
    const dataDir = join(tmp.path, 'b');
    const dd = ['--data-dir', dataDir];
    await facet([...dd, 'cases', 'create', 'Slow']);
    await facet([...dd, 'evidence', 'import', 'Slow', SAMPLE]);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'src/cli/facet.ts'),
        ...dd,
        'run',
        'Slow',
        'celebahq-00.png',
        '--aligned',
        '--preset',
        'sde-ve',
        '--model',
        'analytic-ve',
        '--candidates',
        '1',
        '--threads',
        '1',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let startedAt = 0;
    let progressAt = 0;
    const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no progress; stderr:\n${stderr}`)), 90_000);
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
        if (!startedAt && /run [0-9a-f-]{36}: started/.test(stderr)) startedAt = Date.now();
        if (startedAt && !progressAt && /step \d+\/2000 .*elapsed .*remaining/.test(stderr)) {
          progressAt = Date.now();
          clearTimeout(timer);
          ok();
        }
      });
    });
    expect(stderr).toMatch(
      /estimate: sde-ve on analytic-ve: 2000 steps, 1 candidate\(s\), 2000 network evaluations/,
    );
    expect(stderr.indexOf('estimate: about')).toBeGreaterThanOrEqual(0);
    expect(stderr.indexOf('estimate:')).toBeLessThan(stderr.indexOf('started'));
    expect(progressAt - startedAt).toBeLessThan(5000);

    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/cancelled \(recorded in the audit trail\)/);
    const app = composeApp({ dataDir, readOnly: true });
    try {
      const c = (await callOrThrow(app.router, 'cases.list', {}))[0]!;
      const [run] = await callOrThrow(app.router, 'runs.list', { caseId: c.id });
      expect(run!.status).toBe('cancelled');
      const events = await callOrThrow(app.router, 'audit.list', { caseId: c.id, afterSeq: 0, limit: 200 });
      expect(events.at(-1)).toMatchObject({ action: 'run.cancelled', subject: run!.id });
      expect(app.audit.verify(c.id, app.store).ok).toBe(true);
    } finally {
      app.close();
    }
  });
});
