import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { migrate, openDatabase, schemaVersion } from '../../../src/main/db/database';
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

  it('refuses a database from a newer app', () => {
    const db = openDatabase(':memory:', [{ version: 1, description: 'ok', sql: 'CREATE TABLE t (x);' }]);
    db.pragma('user_version = 9');
    expect(() => migrate(db, migrations)).toThrow(/newer than this app knows/);
    db.close();
  });
});
