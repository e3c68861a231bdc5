import { readdirSync, rmSync } from 'node:fs';
import { z } from 'zod';
import type { CallOutput } from '../../shared/contract';
import { FacetError } from '../../shared/errors';
import type { Db } from '../db/database';
import type { ObjectStore } from '../store/object-store';
import { readTar, writeTar, type TarEntry } from '../store/tar';
import { findChainBreak, type AuditEventValue } from './audit-chain';
import { CASE_ROWS, CASE_TABLES } from './audit-coverage';
import type { AuditService } from './audit-service';
import type { JsonValue } from './canonical-json';
import { sha256Hex } from '../crypto';
import type { PathPolicy } from './import-policy';
import { readRegularFile } from '../imaging/read-file';
import { publishAudited } from './published-file';
import { StagedChange } from './staged-change';

type CaseExportResult = CallOutput<'cases.export'>;
type CaseImportResult = CallOutput<'cases.import'>;

export const ARCHIVE_FORMAT = 'facet-sr/case-archive@1';
const MAX_ARCHIVE_BYTES = 2 * 1024 ** 3;

/** The tables a case spans, in the order their rows can be inserted (foreign keys). */
const TABLES = [...CASE_TABLES, 'audit_events', 'audit_heads', 'audit_signatures'] as const;
type Table = (typeof TABLES)[number];

const SELECT: Record<Table, string> = {
  ...CASE_ROWS,
  audit_events: 'SELECT * FROM audit_events WHERE case_id = ? ORDER BY seq',
  audit_heads: 'SELECT * FROM audit_heads WHERE case_id = ?',
  audit_signatures: 'SELECT * FROM audit_signatures WHERE case_id = ? ORDER BY seq',
};

const Cell = z.union([z.string(), z.number(), z.null()]);
const ArchiveManifestSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  exportedAt: z.string(),
  exportedBy: z.string(),
  appVersion: z.string(),
  caseId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/),
  // Archives made before signatures have no audit_signatures: their import is signed by the importing key.
  tables: z.object(
    Object.fromEntries(
      TABLES.map((t) => [
        t,
        t === 'audit_signatures'
          ? z.array(z.record(z.string(), Cell)).default([])
          : z.array(z.record(z.string(), Cell)),
      ]),
    ) as Record<Table, z.ZodArray<z.ZodRecord<z.ZodString, typeof Cell>>>,
  ),
});

/** Exports a whole case as one tar archive (rows + content-addressed files) and imports one, verifying it. */
export class CaseArchiveService {
  constructor(
    private readonly db: Db,
    private readonly store: ObjectStore,
    private readonly audit: AuditService,
    private readonly policy: PathPolicy,
    private readonly actor: string,
    private readonly appVersion: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Writes the case to `path` after verifying its chain and re-hashing every file; refuses a damaged case. The case
   * is read in one snapshot, and the archive gets its final name in the transaction that appends `case.exported`.
   */
  export(caseId: string, path: string): CaseExportResult {
    const target = this.policy.checkWrite(path);
    // One read transaction: a change committed meanwhile is either wholly in the archive or wholly out of it.
    const { v, tables } = this.db
      .transaction(() => {
        const v = this.audit.verify(caseId, this.store);
        if (!v.ok) {
          throw new FacetError(
            'conflict',
            `Case ${caseId} does not verify, so it is not exported: ${v.reason} (at ${JSON.stringify(v.location)}).`,
          );
        }
        const tables = Object.fromEntries(
          TABLES.map((t) => [
            t,
            this.db.prepare(SELECT[t]).all(caseId) as Array<Record<string, string | number | null>>,
          ]),
        ) as Record<Table, Array<Record<string, string | number | null>>>;
        return { v, tables };
      })
      .deferred();
    const shas = referencedObjects(tables);
    const exportedAt = this.now();
    const manifest = {
      format: ARCHIVE_FORMAT,
      exportedAt: exportedAt.toISOString(),
      exportedBy: this.actor,
      appVersion: this.appVersion,
      caseId,
      tables,
    };
    const entries: TarEntry[] = [
      { name: 'case.json', data: Buffer.from(JSON.stringify(manifest, null, 1), 'utf8') },
    ];
    for (const sha of [...shas].sort())
      entries.push({ name: `objects/${sha}`, data: this.store.read(caseId, sha) });
    const archive = writeTar(entries, exportedAt.getTime() / 1000);
    const sha256 = publishAudited({
      db: this.db,
      pendingDir: this.store.pendingDir(),
      caseId,
      target,
      bytes: archive,
      record: (sha) =>
        this.audit.append({
          caseId,
          actor: this.actor,
          action: 'case.exported',
          subject: caseId,
          payload: { path: target, sha256: sha, files: shas.size, events: v.events, headHash: v.headHash },
        }),
    });
    return {
      path: target,
      sha256,
      files: shas.size,
      events: v.events,
      head: { seq: v.headSeq ?? v.events, hash: v.headHash },
      signers: v.signers ?? [],
    };
  }

  /**
   * Imports an archive: every file must match its hash, the audit chain must verify, and the rows must agree with
   * the events; then the case is added as a whole (or not at all) and the import is audited.
   */
  import(path: string): CaseImportResult {
    const real = this.policy.checkRead(path);
    // A regular file within the size limit, checked on the open file before any byte is read (no FIFO, no device).
    const bytes = readRegularFile(real, MAX_ARCHIVE_BYTES, 'case archives');
    let entries: TarEntry[];
    try {
      entries = readTar(bytes);
    } catch (err) {
      throw new FacetError(
        'invalid-input',
        `${real} is not a Facet SR case archive: ${(err as Error).message}`,
      );
    }
    const head = entries.find((e) => e.name === 'case.json');
    if (!head)
      throw new FacetError('invalid-input', `${real} has no case.json: not a Facet SR case archive.`);
    let parsedJson: unknown;
    try {
      parsedJson = JSON.parse(Buffer.from(head.data).toString('utf8'));
    } catch {
      throw new FacetError('invalid-input', `${real}: case.json is not valid JSON.`);
    }
    const parsed = ArchiveManifestSchema.safeParse(parsedJson);
    if (!parsed.success) {
      throw new FacetError(
        'invalid-input',
        `${real}: case.json is not a ${ARCHIVE_FORMAT} manifest (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}).`,
      );
    }
    const m = parsed.data;
    const caseId = m.caseId;
    if (m.tables.cases.length !== 1 || m.tables.cases[0]!.id !== caseId) {
      throw new FacetError('invalid-input', `${real}: case.json must hold exactly case ${caseId}.`);
    }
    if (
      m.tables.evidence
        .concat(
          m.tables.faces,
          m.tables.runs,
          m.tables.comparisons,
          m.tables.reports,
          m.tables.audit_events,
          m.tables.audit_heads,
          m.tables.audit_signatures,
        )
        .some((r) => r.case_id !== caseId)
    ) {
      throw new FacetError('invalid-input', `${real}: a row belongs to another case.`);
    }
    this.requireNew(caseId);
    const named = referencedObjects(m.tables);
    const objects = new Map<string, Uint8Array>();
    for (const e of entries) {
      if (e.name === 'case.json') continue;
      const sha = /^objects\/([0-9a-f]{64})$/.exec(e.name)?.[1];
      if (!sha) throw new FacetError('invalid-input', `${real}: unexpected entry ${e.name}.`);
      // Nothing enters the store that no row names: it could never be checked, exported or removed.
      if (!named.has(sha))
        throw new FacetError('invalid-input', `${real}: ${e.name} is named by no row of the case; refused.`);
      const actual = sha256Hex(e.data);
      if (actual !== sha)
        throw new FacetError('conflict', `${real}: ${e.name} was altered (its bytes hash to ${actual}).`);
      objects.set(sha, e.data);
    }
    const events: AuditEventValue[] = m.tables.audit_events.map((r) => ({
      caseId: String(r.case_id),
      seq: Number(r.seq),
      time: String(r.time),
      actor: String(r.actor),
      // Archives from before schema 7 have no examiner column.
      examiner: r.examiner === undefined || r.examiner === null ? null : String(r.examiner),
      action: String(r.action),
      subject: String(r.subject),
      payload: parsePayload(String(r.payload), Number(r.seq)),
      prevHash: String(r.prev_hash),
      hash: String(r.hash),
    }));
    const headRow = m.tables.audit_heads[0];
    const brk = findChainBreak(
      events,
      headRow ? { seq: Number(headRow.seq), hash: String(headRow.hash) } : null,
    );
    if (brk)
      throw new FacetError(
        'conflict',
        `${real}: the audit chain is broken at event ${brk.seq}: ${brk.reason}.`,
      );

    // Files are staged (a killed import leaves nothing: the next writing process removes them and the folder), then
    // the rows commit in one IMMEDIATE transaction that checks again that the case is new.
    const change = new StagedChange(this.db, this.store);
    try {
      for (const data of objects.values()) change.stage(caseId, data);
      change.commit(() => {
        this.requireNew(caseId);
        for (const t of TABLES) this.insertRows(t, m.tables[t]);
        // The originating key's signatures come with the rows and are checked like any others; an archive from
        // before signatures has none, and the import event below, signed here, vouches for it from now on.
        const v = this.audit.verify(caseId, this.store, {
          allowUnsignedHead: m.tables.audit_signatures.length === 0,
        });
        if (!v.ok) {
          throw new FacetError(
            'conflict',
            `${real} does not verify: ${v.reason} (at ${JSON.stringify(v.location)}).`,
          );
        }
        this.audit.append({
          caseId,
          actor: this.actor,
          action: 'case.imported',
          subject: caseId,
          payload: {
            path: real,
            sha256: sha256Hex(bytes),
            events: v.events,
            headHash: v.headHash,
            exportedBy: m.exportedBy,
            exportedAt: m.exportedAt,
          },
        });
        const stale = this.db
          .prepare("SELECT id FROM runs WHERE case_id = ? AND status IN ('queued', 'running')")
          .all(caseId) as Array<{ id: string }>;
        for (const r of stale) {
          const t = this.now().toISOString();
          this.db
            .prepare("UPDATE runs SET status = 'interrupted', finished_at = ? WHERE id = ?")
            .run(t, r.id);
          this.audit.append({
            caseId,
            actor: 'system',
            action: 'run.interrupted',
            subject: r.id,
            time: t,
            payload: { reason: 'imported before it finished' },
          });
        }
      });
    } catch (err) {
      change.abandon();
      this.removeEmptyCaseFolder(caseId);
      throw err;
    }
    const after = this.audit.verify(caseId, this.store);
    const now = this.audit.head(caseId);
    return {
      caseId,
      events: events.length,
      files: objects.size,
      head: { seq: now?.seq ?? 0, hash: now?.hash ?? '' },
      signers: after.ok ? (after.signers ?? []) : [],
      unsignedThrough: after.ok ? (after.unsignedThrough ?? 0) : 0,
    };
  }

  private requireNew(caseId: string): void {
    if (this.db.prepare('SELECT 1 FROM cases WHERE id = ?').get(caseId)) {
      throw new FacetError('conflict', `Case ${caseId} is already on this workstation.`);
    }
  }

  /** After a failed import: the case folder goes if no case row owns it and it holds no file. */
  private removeEmptyCaseFolder(caseId: string): void {
    try {
      this.db
        .transaction(() => {
          if (this.db.prepare('SELECT 1 FROM cases WHERE id = ?').get(caseId)) return;
          const dir = this.store.caseDir(caseId);
          const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter(
            (d) => !d.isDirectory(),
          );
          if (files.length === 0) rmSync(dir, { recursive: true, force: true });
        })
        .immediate();
    } catch {
      /* no folder, or the database is busy: the next writing process removes an orphan folder */
    }
  }

  private insertRows(table: Table, rows: ReadonlyArray<Record<string, string | number | null>>): void {
    if (rows.length === 0) return;
    const columns = new Set(
      (this.db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name),
    );
    for (const row of rows) {
      const keys = Object.keys(row);
      const unknown = keys.find((k) => !columns.has(k));
      if (unknown)
        throw new FacetError(
          'invalid-input',
          `The archive's ${table} rows have an unknown column ${JSON.stringify(unknown)}.`,
        );
      this.db
        .prepare(`INSERT INTO ${table} (${keys.join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`)
        .run(...keys.map((k) => row[k]));
    }
  }
}

/** The objects the rows of a case name: evidence originals, face crops and LRs, run outputs, reports. */
function referencedObjects(tables: Record<Table, ReadonlyArray<Record<string, unknown>>>): Set<string> {
  const shas = new Set<string>();
  for (const r of tables.evidence) shas.add(String(r.sha256));
  for (const r of tables.faces) shas.add(String(r.crop_sha256)).add(String(r.lr_sha256));
  for (const r of tables.outputs) shas.add(String(r.sha256));
  for (const r of tables.reports) shas.add(String(r.sha256));
  return shas;
}

function parsePayload(text: string, seq: number): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    throw new FacetError('invalid-input', `The archive's audit event ${seq} has a payload that is not JSON.`);
  }
}
