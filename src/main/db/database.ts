import Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { migrations as allMigrations, type Migration } from './migrations';

export type Db = Database.Database;

/** Runs inside a migration's transaction, after its SQL (work that needs the app, such as signing heads). */
export type OnMigration = (db: Db, version: number) => void;

/** Opens (creating if needed) the workstation database with WAL, foreign keys and all migrations applied. */
export function openDatabase(
  file: string,
  migrations: readonly Migration[] = allMigrations,
  onApply?: OnMigration,
): Db {
  const db = new Database(file);
  try {
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations, onApply);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Opens an existing database for reading only (SQLite `SQLITE_OPEN_READONLY`): nothing is migrated, recovered or
 * appended, so the file stays byte-identical. A database at another schema version than this app's is refused.
 *
 * `snapshot` (read-only media): SQLite's read-only open of a WAL database still creates `-shm` and may create `-wal`
 * beside it, which fails on read-only media. Our better-sqlite3 is built without URI filenames
 * (`SQLITE_USE_URI=0`), so `?immutable=1` is not available; instead the file's bytes are read and deserialized into
 * a private read-only in-memory copy: no file is created or locked. A non-empty `-wal` (a copy taken while the app
 * was writing) holds committed changes that copy would miss, so it is refused.
 */
export function openDatabaseReadOnly(
  file: string,
  migrations: readonly Migration[] = allMigrations,
  opts: { snapshot?: boolean } = {},
): Db {
  const db = opts.snapshot
    ? new Database(snapshotBytes(file), { readonly: true })
    : new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const current = schemaVersion(db);
    const latest = migrations.at(-1)?.version ?? 0;
    if (current !== latest) {
      throw new Error(
        `The database is at schema version ${current}, this app's is ${latest}: open it once with the app (or a writing facet command) to ${current < latest ? 'upgrade it' : 'see the newer version'} before checking it read-only.`,
      );
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** The bytes of a database file for a snapshot open: a WAL-mode header is set to rollback mode (memory has no WAL). */
function snapshotBytes(file: string): Buffer {
  const wal = `${file}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new Error(
      `${file} has unmerged changes in ${wal} and its folder is read-only: copy the data folder after closing the app (which merges them), or check it where it can be written.`,
    );
  }
  const bytes = readFileSync(file);
  // Bytes 18 and 19 are the file format's write and read versions: 2 = WAL, 1 = rollback journal.
  if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) {
    bytes[18] = 1;
    bytes[19] = 1;
  }
  return bytes;
}

/** Applies the migrations newer than the database's version, each in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[], onApply?: OnMigration): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(
      `The database is at schema version ${current}, newer than this app knows (${latest}). Update the app.`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    const fkOn = db.pragma('foreign_keys', { simple: true }) === 1;
    // The pragma has no effect inside a transaction: it is switched around it.
    if (m.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        // Another process may have applied it since the version was read (two processes opening a new folder).
        if (schemaVersion(db) >= m.version) return;
        db.exec(m.sql);
        onApply?.(db, m.version);
        if (m.rebuildsTables && (db.pragma('foreign_key_check') as unknown[]).length > 0) {
          throw new Error(`Migration ${m.version} would break foreign keys; nothing was changed.`);
        }
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    } finally {
      if (m.rebuildsTables && fkOn) db.pragma('foreign_keys = ON');
    }
  }
}

/** The schema version the database is at. */
export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}
