/**
 * Schema migrations, applied in order. `PRAGMA user_version` holds the number of the last one applied.
 * Never edit a migration that has shipped; add a new one.
 */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'cases',
    sql: `
      CREATE TABLE cases (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed'))
      );
    `,
  },
];
