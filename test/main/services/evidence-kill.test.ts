/**
 * A killed `evidence import` leaves the complete evidence with its event, or nothing. Fault injection in-process:
 * the import runs with its file-system and SQLite writes counted; at the chosen write the data folder is copied as
 * it is on disk (what a SIGKILL leaves: no catch or finally of the dying process runs on the copy) and the import
 * is aborted. The copy is then opened by a writing process (which recovers) and checked. 50 kills, every kill
 * point first, then random ones; each iteration continues from the previous recovered copy.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApp } from '../../../src/main/compose';
import { openDatabase, type Db } from '../../../src/main/db/database';
import { AuditService } from '../../../src/main/services/audit-service';
import { lazySigner, loadOrCreateSigner } from '../../../src/main/signing/audit-key';
import { CaseService } from '../../../src/main/services/case-service';
import { EvidenceService } from '../../../src/main/services/evidence-service';
import { PathPolicy } from '../../../src/main/services/import-policy';
import { ObjectStore, type StoreFs } from '../../../src/main/store/object-store';
import { writePhoto } from '../../helpers/case-fixture';
import { tempDir } from '../../helpers/temp-dir';

const KILLS = 50;
const tmp = tempDir();
const photos: string[] = [];

class Killed extends Error {}

const WRITES = [
  'mkdirSync',
  'openSync',
  'writeSync',
  'fsyncSync',
  'closeSync',
  'chmodSync',
  'renameSync',
  'unlinkSync',
] as const;

/** Copies a data folder as a crash leaves it (the SQLite shared-memory index is rebuilt on open, as after a crash). */
function snapshot(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true, filter: (src) => !src.endsWith('-shm') });
}

/** One import over `dataDir` that is "killed" before its `killAt`-th write (null: never). Returns the writes made. */
async function importWithKill(
  dataDir: string,
  caseId: string,
  photo: string,
  killAt: number | null,
  copyTo: string,
) {
  let writes = 0;
  let killed = false;
  const hit = (): void => {
    if (killAt !== null && writes === killAt) {
      snapshot(dataDir, copyTo);
      killed = true;
      throw new Killed(`killed before write ${killAt}`);
    }
    writes++;
  };
  const storeFs = { ...fs } as Record<string, unknown>;
  for (const w of WRITES) {
    const real = fs[w] as (...a: unknown[]) => unknown;
    storeFs[w] = (...a: unknown[]) => {
      hit();
      return real(...a);
    };
  }
  const raw = openDatabase(join(dataDir, 'facet.sqlite'));
  const db = new Proxy(raw, {
    get(t, k) {
      if (k === 'prepare') {
        return (sql: string) => {
          const st = t.prepare(sql);
          return new Proxy(st, {
            get(s, key) {
              if (key === 'run')
                return (...a: unknown[]) => {
                  hit();
                  return (s.run as (...x: unknown[]) => unknown)(...a);
                };
              const v = Reflect.get(s, key) as unknown;
              return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(s) : v;
            },
          });
        };
      }
      const v = Reflect.get(t, k) as unknown;
      return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(t) : v;
    },
  }) as Db;
  // Signed with the data folder's key, as composeApp does: the signature is one more write inside the transaction.
  const audit = new AuditService(db, undefined, {
    signer: lazySigner(() => loadOrCreateSigner(dataDir)),
  });
  const cases = new CaseService(db, undefined, { audit, actor: 'ann' });
  const policy = new PathPolicy();
  policy.allowFile(photo);
  const evidence = new EvidenceService(
    db,
    new ObjectStore(dataDir, storeFs as StoreFs),
    cases,
    audit,
    policy,
    'ann',
  );
  try {
    await evidence.import({ caseId, path: photo, role: 'probe' });
  } catch (err) {
    if (!(err instanceof Killed)) throw err;
  } finally {
    raw.close();
  }
  if (!killed) snapshot(dataDir, copyTo);
  return { writes, killed };
}

/** Every file under the case's objects folder. */
function objectFiles(dataDir: string, caseId: string): string[] {
  const root = join(dataDir, 'cases', caseId, 'objects');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).flatMap((d) => fs.readdirSync(join(root, d)));
}

beforeAll(async () => {
  for (let i = 0; i < KILLS + 1; i++)
    photos.push(await writePhoto(tmp.path, `still-${i}.png`, 12, 12, i * 0.37));
});
afterAll(() => tmp.remove());

describe('evidence import killed at any write', () => {
  it(`leaves the whole evidence with its event, or nothing, ${KILLS} of ${KILLS} times`, async () => {
    let live = join(tmp.path, 'd0');
    const app0 = composeApp({ dataDir: live, actor: 'ann' });
    const caseId = app0.cases.create({ name: 'kills' }).id;
    app0.close();
    // The number of writes an uninterrupted import makes (its kill points are 0..n, n = after the last).
    const drySrc = join(tmp.path, 'dry-src');
    snapshot(live, drySrc);
    const dry = await importWithKill(drySrc, caseId, photos[KILLS]!, null, join(tmp.path, 'dry'));
    expect(dry.writes).toBeGreaterThan(8);
    let seed = 20260413;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const outcomes = { complete: 0, nothing: 0 };
    for (let i = 0; i < KILLS; i++) {
      const killAt = i <= dry.writes ? i : rand(dry.writes + 1);
      const next = join(tmp.path, `d${i + 1}`);
      const before = new Database(join(live, 'facet.sqlite'), { readonly: true });
      const eventsBefore = (before.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number })
        .n;
      before.close();
      await importWithKill(live, caseId, photos[i]!, killAt, next);
      const sha = createHash('sha256').update(fs.readFileSync(photos[i]!)).digest('hex');

      const app = composeApp({ dataDir: next, actor: 'ann' }); // a writing process starts: recovery runs
      try {
        expect(app.audit.verify(caseId, app.store), `kill ${i} before write ${killAt}`).toMatchObject({
          ok: true,
        });
        const rows = app.evidence.list(caseId);
        const row = rows.find((e) => e.sha256 === sha);
        const events = app.audit.all(caseId);
        const event = events.find(
          (e) => e.action === 'evidence.imported' && (e.payload as { sha256: string }).sha256 === sha,
        );
        const files = objectFiles(next, caseId);
        if (row) {
          outcomes.complete++;
          expect(event?.subject).toBe(row.id);
          expect(app.evidence.open(row.id).length).toBe(row.sizeBytes);
          expect(events.length).toBe(eventsBefore + 1);
        } else {
          outcomes.nothing++;
          expect(event).toBeUndefined();
          expect(files).not.toContain(sha);
          expect(events.length).toBe(eventsBefore);
        }
        // Nothing half-stored: only the files of rows, no temporary files, no intents left.
        expect(files.sort()).toEqual(rows.map((e) => e.sha256).sort());
        expect(fs.existsSync(join(next, 'pending')) ? fs.readdirSync(join(next, 'pending')) : []).toEqual([]);
      } finally {
        app.close();
      }
      live = next;
    }
    expect(outcomes.complete + outcomes.nothing).toBe(KILLS);
    expect(outcomes.complete).toBeGreaterThan(0);
    expect(outcomes.nothing).toBeGreaterThan(0);
  }, 120_000);
});
