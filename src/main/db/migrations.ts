/**
 * Schema migrations, applied in order. `PRAGMA user_version` holds the number of the last one applied.
 * Never edit a migration that has shipped; add a new one.
 */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
  /**
   * Rebuilds a table that others reference (SQLite's documented rebuild): foreign keys are switched off around
   * the migration, and `PRAGMA foreign_key_check` must come back empty before it commits.
   */
  readonly rebuildsTables?: boolean;
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
  {
    version: 2,
    description: 'evidence, faces, runs, outputs, comparisons, reports, tamper-evident audit events (C6)',
    sql: `
      ALTER TABLE cases ADD COLUMN updated_at TEXT;
      ALTER TABLE cases ADD COLUMN closed_at TEXT;

      CREATE TABLE evidence (
        id            TEXT PRIMARY KEY,
        case_id       TEXT NOT NULL REFERENCES cases(id),
        role          TEXT NOT NULL CHECK (role IN ('probe', 'reference')),
        sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
        original_name TEXT NOT NULL,
        size_bytes    INTEGER NOT NULL CHECK (size_bytes > 0),
        media_type    TEXT NOT NULL,
        width         INTEGER NOT NULL CHECK (width > 0),
        height        INTEGER NOT NULL CHECK (height > 0),
        imported_at   TEXT NOT NULL,
        imported_by   TEXT NOT NULL,
        UNIQUE (case_id, sha256)
      );
      CREATE INDEX evidence_by_case ON evidence(case_id);

      CREATE TABLE faces (
        id           TEXT PRIMARY KEY,
        case_id      TEXT NOT NULL REFERENCES cases(id),
        evidence_id  TEXT NOT NULL REFERENCES evidence(id),
        method       TEXT NOT NULL CHECK (method IN ('auto', 'manual')),
        points       TEXT NOT NULL,
        transform    TEXT NOT NULL,
        crop_sha256  TEXT NOT NULL CHECK (length(crop_sha256) = 64),
        lr_sha256    TEXT NOT NULL CHECK (length(lr_sha256) = 64),
        created_at   TEXT NOT NULL,
        created_by   TEXT NOT NULL
      );
      CREATE INDEX faces_by_case ON faces(case_id);

      CREATE TABLE runs (
        id             TEXT PRIMARY KEY,
        case_id        TEXT NOT NULL REFERENCES cases(id),
        face_id        TEXT NOT NULL REFERENCES faces(id),
        rerun_of       TEXT REFERENCES runs(id),
        device         TEXT NOT NULL,
        settings       TEXT NOT NULL,
        seed           TEXT NOT NULL,
        record         TEXT,
        status         TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
        progress_step  INTEGER NOT NULL DEFAULT 0,
        progress_total INTEGER NOT NULL DEFAULT 0,
        error          TEXT,
        queued_at      TEXT NOT NULL,
        started_at     TEXT,
        finished_at    TEXT,
        created_by     TEXT NOT NULL
      );
      CREATE INDEX runs_by_case ON runs(case_id);
      CREATE INDEX runs_by_status ON runs(status, device);

      CREATE TABLE outputs (
        id            TEXT PRIMARY KEY,
        run_id        TEXT NOT NULL REFERENCES runs(id),
        kind          TEXT NOT NULL CHECK (kind IN ('candidate', 'bicubic', 'uncertainty')),
        idx           INTEGER NOT NULL CHECK (idx >= 0),
        sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
        pixels_sha256 TEXT NOT NULL CHECK (length(pixels_sha256) = 64),
        width         INTEGER NOT NULL,
        height        INTEGER NOT NULL,
        metrics       TEXT NOT NULL DEFAULT '{}',
        UNIQUE (run_id, kind, idx)
      );

      CREATE TABLE comparisons (
        id                     TEXT PRIMARY KEY,
        case_id                TEXT NOT NULL REFERENCES cases(id),
        output_id              TEXT REFERENCES outputs(id),
        probe_evidence_id      TEXT REFERENCES evidence(id),
        reference_evidence_id  TEXT NOT NULL REFERENCES evidence(id),
        embedder_id            TEXT NOT NULL,
        embedder_sha256        TEXT NOT NULL,
        score                  REAL NOT NULL,
        calibration_percentile REAL,
        calibration            TEXT NOT NULL DEFAULT '{}',
        created_at             TEXT NOT NULL,
        created_by             TEXT NOT NULL,
        CHECK (output_id IS NOT NULL OR probe_evidence_id IS NOT NULL)
      );
      CREATE INDEX comparisons_by_case ON comparisons(case_id);

      CREATE TABLE reports (
        id          TEXT PRIMARY KEY,
        case_id     TEXT NOT NULL REFERENCES cases(id),
        run_id      TEXT REFERENCES runs(id),
        format      TEXT NOT NULL CHECK (format IN ('pdf', 'html', 'manifest')),
        sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
        size_bytes  INTEGER NOT NULL,
        created_at  TEXT NOT NULL,
        created_by  TEXT NOT NULL
      );
      CREATE INDEX reports_by_case ON reports(case_id);

      -- C6: one hash chain per case; seq counts from 1 within the case.
      CREATE TABLE audit_events (
        case_id    TEXT NOT NULL REFERENCES cases(id),
        seq        INTEGER NOT NULL CHECK (seq >= 1),
        time       TEXT NOT NULL,
        actor      TEXT NOT NULL,
        action     TEXT NOT NULL,
        subject    TEXT NOT NULL,
        payload    TEXT NOT NULL,
        prev_hash  TEXT NOT NULL CHECK (length(prev_hash) = 64),
        hash       TEXT NOT NULL CHECK (length(hash) = 64),
        PRIMARY KEY (case_id, seq)
      );
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END;

      -- The head of each case's chain, written with every append, so that cutting events off the end is seen.
      CREATE TABLE audit_heads (
        case_id  TEXT PRIMARY KEY REFERENCES cases(id),
        seq      INTEGER NOT NULL,
        hash     TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    description:
      "faces: method 'aligned' (the evidence is itself an aligned face crop; no detection, no points)",
    // SQLite cannot alter a CHECK: the table is rebuilt with its rows and index. Runs refer to faces, so the foreign
    // keys are checked at commit (deferred), once every face row is back: a lost row fails the whole migration.
    sql: `
      PRAGMA defer_foreign_keys = ON;
      CREATE TEMP TABLE faces_v2 AS SELECT * FROM faces;
      DROP TABLE faces;
      CREATE TABLE faces (
        id           TEXT PRIMARY KEY,
        case_id      TEXT NOT NULL REFERENCES cases(id),
        evidence_id  TEXT NOT NULL REFERENCES evidence(id),
        method       TEXT NOT NULL CHECK (method IN ('auto', 'manual', 'aligned')),
        points       TEXT NOT NULL,
        transform    TEXT NOT NULL,
        crop_sha256  TEXT NOT NULL CHECK (length(crop_sha256) = 64),
        lr_sha256    TEXT NOT NULL CHECK (length(lr_sha256) = 64),
        created_at   TEXT NOT NULL,
        created_by   TEXT NOT NULL
      );
      INSERT INTO faces (id, case_id, evidence_id, method, points, transform, crop_sha256, lr_sha256, created_at, created_by)
        SELECT id, case_id, evidence_id, method, points, transform, crop_sha256, lr_sha256, created_at, created_by
        FROM faces_v2 ORDER BY rowid;
      DROP TABLE faces_v2;
      CREATE INDEX faces_by_case ON faces(case_id);
    `,
  },
  {
    version: 4,
    description: "outputs: the candidate mean ('mean') as an output kind",
    // SQLite cannot change a CHECK in place: the table is rebuilt with the same ids (comparisons reference them).
    rebuildsTables: true,
    sql: `
      CREATE TABLE outputs_new (
        id            TEXT PRIMARY KEY,
        run_id        TEXT NOT NULL REFERENCES runs(id),
        kind          TEXT NOT NULL CHECK (kind IN ('candidate', 'bicubic', 'uncertainty', 'mean')),
        idx           INTEGER NOT NULL CHECK (idx >= 0),
        sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
        pixels_sha256 TEXT NOT NULL CHECK (length(pixels_sha256) = 64),
        width         INTEGER NOT NULL,
        height        INTEGER NOT NULL,
        metrics       TEXT NOT NULL DEFAULT '{}',
        UNIQUE (run_id, kind, idx)
      );
      INSERT INTO outputs_new SELECT id, run_id, kind, idx, sha256, pixels_sha256, width, height, metrics FROM outputs;
      DROP TABLE outputs;
      ALTER TABLE outputs_new RENAME TO outputs;
    `,
  },
  {
    version: 5,
    description:
      "faces: method 'lr16' (the evidence is itself the 16x16 LR face; no crop, crop_sha256 names the LR)",
    // As migration 3: the table is rebuilt with its rows and index, the foreign keys checked at commit (deferred).
    sql: `
      PRAGMA defer_foreign_keys = ON;
      CREATE TEMP TABLE faces_v4 AS SELECT * FROM faces;
      DROP TABLE faces;
      CREATE TABLE faces (
        id           TEXT PRIMARY KEY,
        case_id      TEXT NOT NULL REFERENCES cases(id),
        evidence_id  TEXT NOT NULL REFERENCES evidence(id),
        method       TEXT NOT NULL CHECK (method IN ('auto', 'manual', 'aligned', 'lr16')),
        points       TEXT NOT NULL,
        transform    TEXT NOT NULL,
        crop_sha256  TEXT NOT NULL CHECK (length(crop_sha256) = 64),
        lr_sha256    TEXT NOT NULL CHECK (length(lr_sha256) = 64),
        created_at   TEXT NOT NULL,
        created_by   TEXT NOT NULL
      );
      INSERT INTO faces (id, case_id, evidence_id, method, points, transform, crop_sha256, lr_sha256, created_at, created_by)
        SELECT id, case_id, evidence_id, method, points, transform, crop_sha256, lr_sha256, created_at, created_by
        FROM faces_v4 ORDER BY rowid;
      DROP TABLE faces_v4;
      CREATE INDEX faces_by_case ON faces(case_id);
    `,
  },
  {
    version: 6,
    description: 'audit_signatures: each audit head signed with the installation key (Ed25519), append-only',
    // One row per head ever written (every append), so an imported case keeps the signatures of the key that made
    // it. The process that applies this migration signs each existing case's head (compose.ts), once.
    sql: `
      CREATE TABLE audit_signatures (
        case_id          TEXT NOT NULL REFERENCES cases(id),
        seq              INTEGER NOT NULL CHECK (seq >= 1),
        hash             TEXT NOT NULL CHECK (length(hash) = 64),
        public_key       TEXT NOT NULL,
        key_fingerprint  TEXT NOT NULL CHECK (length(key_fingerprint) = 64),
        signature        TEXT NOT NULL,
        PRIMARY KEY (case_id, seq)
      );
      CREATE TRIGGER audit_signatures_no_update BEFORE UPDATE ON audit_signatures
        BEGIN SELECT RAISE(ABORT, 'audit signatures are append-only: UPDATE refused'); END;
      CREATE TRIGGER audit_signatures_no_delete BEFORE DELETE ON audit_signatures
        BEGIN SELECT RAISE(ABORT, 'audit signatures are append-only: DELETE refused'); END;
    `,
  },
  {
    version: 7,
    description:
      'audit_events: the examiner (the name the user gave, beside the OS account in actor); NULL before this',
    // A nullable column: rows from before keep NULL and their hashes, which cover the examiner only when it is set.
    sql: `ALTER TABLE audit_events ADD COLUMN examiner TEXT;`,
  },
];
