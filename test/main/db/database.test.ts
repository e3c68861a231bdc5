import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { migrate, openDatabase, openDatabaseReadOnly, schemaVersion } from '../../../src/main/db/database';
import { migrations } from '../../../src/main/db/migrations';
import { tempDir } from '../../helpers/temp-dir';

describe('database', () => {
  it('applies every migration to a new file and records the version', () => {
    const dir = tempDir();
    try {
      const db = openDatabase(join(dir.path, 'a.sqlite'));
      expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      db.close();
    } finally {
      dir.remove();
    }
  });

  it('applies only newer migrations on reopen, keeping data', () => {
    const dir = tempDir();
    const file = join(dir.path, 'b.sqlite');
    try {
      const v1 = [{ version: 1, description: 't', sql: 'CREATE TABLE t (x INTEGER);' }];
      const db1 = openDatabase(file, v1);
      db1.prepare('INSERT INTO t VALUES (42)').run();
      db1.close();
      const v2 = [...v1, { version: 2, description: 'u', sql: 'ALTER TABLE t ADD COLUMN y TEXT;' }];
      const db2 = openDatabase(file, v2);
      expect(schemaVersion(db2)).toBe(2);
      expect(db2.prepare('SELECT x, y FROM t').get()).toEqual({ x: 42, y: null });
      db2.close();
    } finally {
      dir.remove();
    }
  });

  it('rolls back a failing migration and leaves the version unchanged', () => {
    const db = openDatabase(':memory:', [{ version: 1, description: 'ok', sql: 'CREATE TABLE t (x);' }]);
    const bad = [
      { version: 1, description: 'ok', sql: 'CREATE TABLE t (x);' },
      { version: 2, description: 'bad', sql: 'CREATE TABLE u (y); THIS IS NOT SQL;' },
    ];
    expect(() => migrate(db, bad)).toThrow();
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'u'").get()).toBeUndefined();
    db.close();
  });

  it('upgrades a v1 database to the current schema, keeping its cases and enforcing append-only events', () => {
    const dir = tempDir();
    const file = join(dir.path, 'v1.sqlite');
    try {
      const v1 = openDatabase(file, migrations.slice(0, 1));
      v1.prepare(
        "INSERT INTO cases (id, name, created_at) VALUES ('c1', 'Old case', '2025-01-01T00:00:00Z')",
      ).run();
      v1.close();
      const db = openDatabase(file);
      expect(db.prepare('SELECT id, name, status, closed_at FROM cases').all()).toEqual([
        { id: 'c1', name: 'Old case', status: 'open', closed_at: null },
      ]);
      // Columns named: schema 7 added the nullable examiner.
      db.prepare(
        'INSERT INTO audit_events (case_id, seq, time, actor, action, subject, payload, prev_hash, hash) ' +
          "VALUES ('c1', 1, 't', 'a', 'x', 'c1', '{}', ?, ?)",
      ).run('0'.repeat(64), '1'.repeat(64));
      expect(() => db.prepare('UPDATE audit_events SET actor = ?').run('b')).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      db.close();
    } finally {
      dir.remove();
    }
  });

  it("v3 rebuilds faces for method 'aligned': a v2 case's faces and the runs on them are kept", () => {
    const dir = tempDir();
    const file = join(dir.path, 'v2.sqlite');
    const h = (c: string) => c.repeat(64);
    try {
      const v2 = openDatabase(file, migrations.slice(0, 2));
      v2.exec(`
        INSERT INTO cases (id, name, created_at) VALUES ('c1', 'Old case', '2025-01-01T00:00:00Z');
        INSERT INTO evidence VALUES ('e1', 'c1', 'probe', '${h('a')}', 'a.jpg', 10, 'image/jpeg', 9, 9, 't', 'x');
        INSERT INTO faces VALUES ('f1', 'c1', 'e1', 'auto', '[]', '[1,0,0,0,1,0]', '${h('b')}', '${h('c')}', 't1', 'x');
        INSERT INTO faces VALUES ('f2', 'c1', 'e1', 'manual', '[]', '[1,0,0,0,1,0]', '${h('d')}', '${h('e')}', 't0', 'x');
        INSERT INTO runs (id, case_id, face_id, device, settings, seed, status, queued_at, created_by)
          VALUES ('r1', 'c1', 'f2', 'cpu', '{}', '1', 'done', 't', 'x');
      `);
      const before = v2.prepare('SELECT rowid, * FROM faces ORDER BY rowid').all();
      expect(() => v2.prepare("UPDATE faces SET method = 'aligned' WHERE id = 'f1'").run()).toThrow(
        /CHECK constraint/,
      );
      v2.close();

      const db = openDatabase(file);
      expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
      expect(db.prepare('SELECT rowid, * FROM faces ORDER BY rowid').all()).toEqual(before);
      expect(db.prepare('SELECT face_id FROM runs').all()).toEqual([{ face_id: 'f2' }]);
      db.prepare(
        `INSERT INTO faces VALUES ('f3', 'c1', 'e1', 'aligned', '[]', '[1,0,0,0,1,0]', ?, ?, 't2', 'x')`,
      ).run(h('f'), h('0'));
      expect(() => db.prepare("UPDATE faces SET method = 'guessed' WHERE id = 'f3'").run()).toThrow(
        /CHECK constraint/,
      );
      // The foreign keys still hold both ways: no run on a missing face, no face on missing evidence.
      expect(() =>
        db
          .prepare(
            "INSERT INTO runs (id, case_id, face_id, device, settings, seed, status, queued_at, created_by) VALUES ('r2', 'c1', 'nope', 'cpu', '{}', '1', 'queued', 't', 'x')",
          )
          .run(),
      ).toThrow(/FOREIGN KEY/);
      expect(() => db.prepare("DELETE FROM faces WHERE id = 'f2'").run()).toThrow(/FOREIGN KEY/);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'faces_by_case'").all()).toHaveLength(1);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      db.close();
    } finally {
      dir.remove();
    }
  });

  it('v4 rebuilds outputs for the candidate mean, keeping outputs that comparisons reference', () => {
    const db = openDatabase(':memory:', migrations.slice(0, 2));
    const h = 'a'.repeat(64);
    db.exec(`
      INSERT INTO cases (id, name, created_at) VALUES ('c', 'n', 't');
      INSERT INTO evidence VALUES ('e', 'c', 'probe', '${h}', 'x.png', 1, 'image/png', 1, 1, 't', 'u');
      INSERT INTO faces VALUES ('f', 'c', 'e', 'auto', '[]', '[]', '${h}', '${h}', 't', 'u');
      INSERT INTO runs (id, case_id, face_id, device, settings, seed, status, queued_at, created_by)
        VALUES ('r', 'c', 'f', 'cpu', '{}', '1', 'done', 't', 'u');
      INSERT INTO outputs VALUES ('o', 'r', 'candidate', 0, '${h}', '${h}', 128, 128, '{"consistency":1}');
      INSERT INTO comparisons (id, case_id, output_id, reference_evidence_id, embedder_id, embedder_sha256, score,
        created_at, created_by) VALUES ('k', 'c', 'o', 'e', 'm', '${h}', 0.5, 't', 'u');`);
    expect(() =>
      db.exec(`INSERT INTO outputs VALUES ('m', 'r', 'mean', 0, '${h}', '${h}', 128, 128, '{}')`),
    ).toThrow(/CHECK/);
    migrate(db, migrations);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(4);
    expect(db.prepare('SELECT id, kind, metrics FROM outputs').all()).toEqual([
      { id: 'o', kind: 'candidate', metrics: '{"consistency":1}' },
    ]);
    db.exec(`INSERT INTO outputs VALUES ('m', 'r', 'mean', 0, '${h}', '${h}', 128, 128, '{}')`);
    // Foreign keys are on again and still point at the rebuilt table.
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() =>
      db.exec(`INSERT INTO comparisons (id, case_id, output_id, reference_evidence_id, embedder_id, embedder_sha256,
        score, created_at, created_by) VALUES ('k2', 'c', 'missing', 'e', 'm', '${h}', 0.5, 't', 'u')`),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it("v5 rebuilds faces for method 'lr16': a v4 database's faces, the runs on them and their index are kept", () => {
    const dir = tempDir();
    const file = join(dir.path, 'v4.sqlite');
    const h = (c: string) => c.repeat(64);
    try {
      const v4 = openDatabase(file, migrations.slice(0, 4));
      v4.exec(`
        INSERT INTO cases (id, name, created_at) VALUES ('c1', 'Case', '2026-01-01T00:00:00Z');
        INSERT INTO evidence VALUES ('e1', 'c1', 'probe', '${h('a')}', 'a.png', 10, 'image/png', 16, 16, 't', 'x');
        INSERT INTO faces VALUES ('f1', 'c1', 'e1', 'aligned', '[]', '[1,0,0,0,1,0]', '${h('b')}', '${h('c')}', 't1', 'x');
        INSERT INTO faces VALUES ('f2', 'c1', 'e1', 'manual', '[{"x":1,"y":2}]', '[2,0,0,0,2,0]', '${h('d')}', '${h('e')}', 't0', 'x');
        INSERT INTO runs (id, case_id, face_id, device, settings, seed, status, queued_at, created_by)
          VALUES ('r1', 'c1', 'f1', 'cpu', '{}', '1', 'done', 't', 'x');
        INSERT INTO outputs VALUES ('o1', 'r1', 'mean', 0, '${h('1')}', '${h('2')}', 128, 128, '{}');
      `);
      const before = v4.prepare('SELECT rowid, * FROM faces ORDER BY rowid').all();
      expect(before).toHaveLength(2);
      expect(() => v4.prepare("UPDATE faces SET method = 'lr16' WHERE id = 'f2'").run()).toThrow(
        /CHECK constraint/,
      );
      v4.close();

      const db = openDatabase(file);
      expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
      expect(db.prepare('SELECT rowid, * FROM faces ORDER BY rowid').all()).toEqual(before);
      expect(db.prepare('SELECT id, face_id FROM runs').all()).toEqual([{ id: 'r1', face_id: 'f1' }]);
      expect(db.prepare('SELECT id, kind FROM outputs').all()).toEqual([{ id: 'o1', kind: 'mean' }]);
      // An LR face: no crop, its crop hash names the LR.
      db.prepare(
        `INSERT INTO faces VALUES ('f3', 'c1', 'e1', 'lr16', '[]', '[8,0,0,0,8,0]', ?, ?, 't2', 'x')`,
      ).run(h('f'), h('f'));
      expect(() => db.prepare("UPDATE faces SET method = 'guessed' WHERE id = 'f3'").run()).toThrow(
        /CHECK constraint/,
      );
      expect(() => db.prepare("UPDATE faces SET crop_sha256 = 'short' WHERE id = 'f3'").run()).toThrow(
        /CHECK constraint/,
      );
      expect(() => db.prepare("DELETE FROM faces WHERE id = 'f1'").run()).toThrow(/FOREIGN KEY/);
      expect(() =>
        db
          .prepare(
            "INSERT INTO runs (id, case_id, face_id, device, settings, seed, status, queued_at, created_by) VALUES ('r2', 'c1', 'nope', 'cpu', '{}', '1', 'queued', 't', 'x')",
          )
          .run(),
      ).toThrow(/FOREIGN KEY/);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'faces_by_case'").all()).toHaveLength(1);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      db.close();
    } finally {
      dir.remove();
    }
  });

  it('refuses a database from a newer app', () => {
    const db = openDatabase(':memory:', [{ version: 1, description: 'ok', sql: 'CREATE TABLE t (x);' }]);
    db.pragma('user_version = 9');
    expect(() => migrate(db, migrations)).toThrow(/newer than this app knows/);
    db.close();
  });

  it('reads a WAL database on read-only media from a snapshot: no -shm, -wal or journal is created', () => {
    const dir = tempDir();
    try {
      const file = join(dir.path, 'facet.sqlite');
      const w = openDatabase(file);
      w.exec("INSERT INTO cases (id, name, created_at) VALUES ('c1', 'x', 't')");
      w.close();
      expect(readdirSync(dir.path)).toEqual(['facet.sqlite']);
      // SQLite's own read-only open of a WAL database creates -shm and -wal beside it (which read-only media refuse).
      const plain = openDatabaseReadOnly(file);
      expect(readdirSync(dir.path).sort()).toEqual(['facet.sqlite', 'facet.sqlite-shm', 'facet.sqlite-wal']);
      plain.close();
      // ... and, as a read-only connection, cannot remove them again.
      expect(readdirSync(dir.path).length).toBe(3);
      rmSync(`${file}-shm`);
      rmSync(`${file}-wal`);
      const snap = openDatabaseReadOnly(file, migrations, { snapshot: true });
      expect(snap.prepare('SELECT name FROM cases').all()).toEqual([{ name: 'x' }]);
      expect(() => snap.exec("INSERT INTO cases (id, name, created_at) VALUES ('c2', 'y', 't')")).toThrow(
        /readonly/,
      );
      expect(readdirSync(dir.path)).toEqual(['facet.sqlite']);
      snap.close();
      // A copy taken while the app was writing holds committed changes in its -wal: refused, not silently stale.
      writeFileSync(`${file}-wal`, 'x');
      expect(() => openDatabaseReadOnly(file, migrations, { snapshot: true })).toThrow(/unmerged changes/);
    } finally {
      dir.remove();
    }
  });
});
