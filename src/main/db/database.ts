import Database from 'better-sqlite3';
import { migrations as allMigrations, type Migration } from './migrations';

export type Db = Database.Database;

/** Opens (creating if needed) the workstation database with WAL, foreign keys and all migrations applied. */
export function openDatabase(file: string, migrations: readonly Migration[] = allMigrations): Db {
  const db = new Database(file);
  try {
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Opens an existing database for reading only (SQLite `SQLITE_OPEN_READONLY`): nothing is migrated, recovered or
 * appended, so the file stays byte-identical. A database at another schema version than this app's is refused.
 */
export function openDatabaseReadOnly(file: string, migrations: readonly Migration[] = allMigrations): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
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

/** Applies the migrations newer than the database's version, each in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[]): void {
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
