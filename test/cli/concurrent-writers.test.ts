/**
 * Issue 29: writers that wait. Real `facet` processes at once, each round: 4 `facet run`, 2 `case import`, 2 `case
 * export` and 2 `cases rename` (on the cases being exported). No command may fail with an internal error or "database
 * is locked": every write transaction is BEGIN IMMEDIATE, so SQLite's busy timeout applies; every run is done (each
 * `facet run` waits for the queue and runs its own run); every case verifies, every archive has its `case.exported`
 * event and no partial file is left. FACET_STRESS_ROUNDS sets the rounds (default 2, to fit a loaded 2-core machine; see README).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApp } from '../../src/main/compose';
import { sha256Hex } from '../../src/main/crypto';
import { writePhoto } from '../helpers/case-fixture';
import { tempDir } from '../helpers/temp-dir';
import { testExecutor } from '../helpers/test-executor';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'out/cli/facet.js');
const ROUNDS = Number(process.env.FACET_STRESS_ROUNDS ?? 2);
const tmp = tempDir();
const data = join(tmp.path, 'data');
const archives: string[] = [];
const exported = join(tmp.path, 'exported');
let runsCase = '';
const exportCases: string[] = [];

interface Done {
  readonly args: string[];
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

function facet(args: string[]): Promise<Done> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [CLI, '--data-dir', data, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => res({ args, code, out, err }));
  });
}

beforeAll(async () => {
  // The CLI as shipped (vite build), so that each command is a real process of its own.
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '-c', 'vite.cli.config.ts'],
    {
      cwd: ROOT,
      stdio: 'ignore',
    },
  );
  mkdirSync(exported);
  const photos = join(tmp.path, 'photos');
  mkdirSync(photos);
  // Archives to import, each of a case of its own, made on another workstation.
  const other = composeApp({ dataDir: join(tmp.path, 'other'), executor: testExecutor(), actor: 'bob' });
  try {
    other.paths.allowFolder(photos);
    other.paths.allowFolder(tmp.path);
    for (let i = 0; i < 2 * ROUNDS; i++) {
      const c = other.cases.create({ name: `Imported ${i}` });
      await other.evidence.import({
        caseId: c.id,
        path: await writePhoto(photos, `p${i}.png`, 40, 40, i),
        role: 'probe',
      });
      const file = join(tmp.path, `in-${i}.tar`);
      other.archive.export(c.id, file);
      archives.push(file);
    }
  } finally {
    other.close();
  }
  const app = composeApp({ dataDir: data, executor: testExecutor(), actor: 'ann' });
  try {
    app.paths.allowFolder(photos);
    const c = app.cases.create({ name: 'Runs' });
    await app.evidence.import({
      caseId: c.id,
      path: await writePhoto(photos, 'lr16.png', 16, 16),
      role: 'probe',
    });
    runsCase = c.id;
    for (const name of ['Export A', 'Export B']) {
      const e = app.cases.create({ name });
      await app.evidence.import({
        caseId: e.id,
        path: await writePhoto(photos, `${name}.png`, 48, 48, 3),
        role: 'probe',
      });
      exportCases.push(e.id);
    }
  } finally {
    app.close();
  }
}, 300_000);
afterAll(() => tmp.remove());

describe('concurrent writers', () => {
  it(`${ROUNDS} rounds of 4 runs, 2 imports, 2 exports and 2 renames at once: no internal error, all done, all verify`, async () => {
    const t0 = Date.now();
    for (let round = 0; round < ROUNDS; round++) {
      const runArgs = (k: number) => [
        'run',
        runsCase,
        'lr16.png',
        '--lr16',
        '--model',
        'analytic-ve',
        '--steps',
        '2',
        '--candidates',
        '1',
        '--threads',
        '1',
        '--seed',
        String(round * 4 + k),
      ];
      const results = await Promise.all([
        ...[0, 1, 2, 3].map((k) => facet(runArgs(k))),
        facet(['case', 'import', archives[2 * round]!]),
        facet(['case', 'import', archives[2 * round + 1]!]),
        ...exportCases.map((c, i) => facet(['case', 'export', c, join(exported, `${round}-${i}.tar`)])),
        ...exportCases.map((c, i) => facet(['cases', 'rename', c, `Export ${i} round ${round}`])),
      ]);
      for (const r of results) {
        expect({ args: r.args, code: r.code, err: r.err }).toEqual({
          args: r.args,
          code: 0,
          err: expect.any(String),
        });
        expect(r.err).not.toMatch(/internal error|database is locked/i);
      }
    }
    const seconds = (Date.now() - t0) / 1000;
    console.log(`concurrent writers: ${ROUNDS} rounds in ${seconds.toFixed(1)} s`);

    const app = composeApp({ dataDir: data, readOnly: true });
    try {
      const statuses = app.runs.list(runsCase).map((r) => r.status);
      expect(statuses).toHaveLength(4 * ROUNDS);
      expect(new Set(statuses)).toEqual(new Set(['done']));
      const cases = app.cases.list();
      expect(cases).toHaveLength(3 + 2 * ROUNDS);
      for (const c of cases) expect(app.audit.verify(c.id, app.store)).toMatchObject({ ok: true });
      // Every archive has its event, with its bytes' hash; no partial file is left beside them.
      const files = readdirSync(exported);
      expect(files.filter((f) => f.includes('.partial'))).toEqual([]);
      expect(files).toHaveLength(2 * ROUNDS);
      for (const f of files) {
        const sha = sha256Hex(readFileSync(join(exported, f)));
        const caseId = exportCases[Number(f.split('-')[1]!.split('.')[0])]!;
        const events = app.audit.list(caseId).filter((e) => e.action === 'case.exported');
        expect(events.some((e) => (e.payload as { sha256: string }).sha256 === sha)).toBe(true);
      }
    } finally {
      app.close();
    }
  }, 900_000);
});
