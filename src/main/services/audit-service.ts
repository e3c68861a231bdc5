import type { AuditEvent, VerifyResult } from '../../shared/contract';
import { FacetError } from '../../shared/errors';
import type { Db } from '../db/database';
import type { ObjectStore } from '../store/object-store';
import { eventHash, findChainBreak, GENESIS_HASH, type AuditEventValue } from './audit-chain';
import { canonicalJson, type JsonValue } from './canonical-json';

interface EventRow {
  case_id: string;
  seq: number;
  time: string;
  actor: string;
  action: string;
  subject: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

/** Reads a stored event row into its value form; a payload that is not JSON becomes a marker string. */
export function eventFromRow(r: EventRow): AuditEventValue & { payloadText: string } {
  let payload: JsonValue;
  try {
    payload = JSON.parse(r.payload) as JsonValue;
  } catch {
    payload = `<<unparseable payload: ${r.payload.slice(0, 40)}>>`;
  }
  return {
    caseId: r.case_id,
    seq: r.seq,
    time: r.time,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    payload,
    payloadText: r.payload,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** What a state-changing service call records about itself. */
export interface AuditEntry {
  readonly caseId: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly payload: JsonValue;
}

/** The C6 audit trail: appends hash-chained events (inside the caller's transaction) and verifies cases. */
export class AuditService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Appends one event to the case's chain. Must run inside the transaction that makes the change it records,
   * so that the change and its event are stored together or not at all.
   */
  append(entry: AuditEntry): AuditEventValue {
    if (!this.db.inTransaction) {
      throw new Error('AuditService.append must run inside the transaction of the change it records.');
    }
    const head = this.db.prepare('SELECT seq, hash FROM audit_heads WHERE case_id = ?').get(entry.caseId) as
      { seq: number; hash: string } | undefined;
    const seq = (head?.seq ?? 0) + 1;
    const prevHash = head?.hash ?? GENESIS_HASH;
    const time = this.now().toISOString();
    const value = { ...entry, seq, time, prevHash };
    const hash = eventHash(value);
    this.db
      .prepare(
        `INSERT INTO audit_events (case_id, seq, time, actor, action, subject, payload, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.caseId,
        seq,
        time,
        entry.actor,
        entry.action,
        entry.subject,
        canonicalJson(entry.payload),
        prevHash,
        hash,
      );
    this.db
      .prepare(
        `INSERT INTO audit_heads (case_id, seq, hash) VALUES (?, ?, ?)
         ON CONFLICT(case_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
      )
      .run(entry.caseId, seq, hash);
    return { ...value, hash };
  }

  /** A page of a case's events, oldest first. */
  list(caseId: string, afterSeq = 0, limit = 200): AuditEvent[] {
    const rows = this.db
      .prepare('SELECT * FROM audit_events WHERE case_id = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(caseId, afterSeq, limit) as EventRow[];
    return rows.map((r) => {
      const { payloadText: _p, ...e } = eventFromRow(r);
      return e;
    });
  }

  /** Every event of a case in stored order (for reports and export). */
  all(caseId: string): Array<AuditEventValue & { payloadText: string }> {
    const rows = this.db
      .prepare('SELECT * FROM audit_events WHERE case_id = ? ORDER BY seq')
      .all(caseId) as EventRow[];
    return rows.map(eventFromRow);
  }

  /** The recorded head of a case's chain. */
  head(caseId: string): { seq: number; hash: string } | null {
    return (
      (this.db.prepare('SELECT seq, hash FROM audit_heads WHERE case_id = ?').get(caseId) as
        { seq: number; hash: string } | undefined) ?? null
    );
  }

  /**
   * Verifies a case: recomputes its chain, checks each event's payload is stored canonically, checks the rows
   * that carry hashes (evidence, faces, outputs, reports) against the events that recorded them, and re-hashes
   * every stored file. Reports OK or the first problem with its location.
   */
  verify(caseId: string, store: ObjectStore): VerifyResult {
    const exists = this.db.prepare('SELECT 1 FROM cases WHERE id = ?').get(caseId);
    if (!exists) throw new FacetError('not-found', `No case with id ${caseId}.`);
    const events = this.all(caseId);
    const fail = (
      location: Extract<VerifyResult, { ok: false }>['location'],
      reason: string,
    ): VerifyResult => ({
      ok: false,
      caseId,
      events: events.length,
      location,
      reason,
    });
    for (const e of events) {
      if (typeof e.payload === 'string' && e.payload.startsWith('<<unparseable')) {
        return fail({ table: 'audit_events', caseId, seq: e.seq }, 'payload is not valid JSON');
      }
    }
    const brk = findChainBreak(events, this.head(caseId));
    if (brk) return fail({ table: 'audit_events', caseId, seq: brk.seq }, brk.reason);
    for (const e of events) {
      if (canonicalJson(e.payload) !== e.payloadText) {
        return fail({ table: 'audit_events', caseId, seq: e.seq }, 'payload is not stored in canonical form');
      }
    }
    // Rows that carry hashes must agree with the events that recorded them.
    const recorded = new Map<string, Record<string, JsonValue>>();
    for (const e of events) {
      if (e.payload && typeof e.payload === 'object' && !Array.isArray(e.payload)) {
        recorded.set(`${e.action}:${e.subject}`, e.payload);
      }
    }
    type Table = 'evidence' | 'faces' | 'outputs' | 'reports' | 'runs' | 'comparisons';
    const checks: Array<{ table: Table; actions: string[]; sql: string; fields: string[]; files: string[] }> =
      [
        {
          table: 'evidence',
          actions: ['evidence.imported'],
          sql: 'SELECT id, sha256, role FROM evidence WHERE case_id = ?',
          fields: ['role'],
          files: ['sha256'],
        },
        {
          table: 'faces',
          actions: ['face.aligned'],
          sql: `SELECT id, crop_sha256 AS cropSha256, lr_sha256 AS lrSha256, method, points, transform
              FROM faces WHERE case_id = ?`,
          fields: ['method', 'points', 'transform'],
          files: ['cropSha256', 'lrSha256'],
        },
        {
          table: 'runs',
          actions: ['run.queued', 'run.requeued'],
          sql: 'SELECT id, settings, face_id AS faceId FROM runs WHERE case_id = ?',
          fields: ['settings', 'faceId'],
          files: [],
        },
        {
          table: 'comparisons',
          actions: ['comparison.recorded'],
          sql: `SELECT id, score, calibration_percentile AS calibrationPercentile, embedder_id AS embedderId,
              embedder_sha256 AS embedderSha256, reference_evidence_id AS referenceEvidenceId, output_id AS outputId
              FROM comparisons WHERE case_id = ?`,
          fields: [
            'score',
            'calibrationPercentile',
            'embedderId',
            'embedderSha256',
            'referenceEvidenceId',
            'outputId',
          ],
          files: [],
        },
        {
          table: 'reports',
          actions: ['report.created'],
          sql: 'SELECT id, sha256 FROM reports WHERE case_id = ?',
          fields: [],
          files: ['sha256'],
        },
      ];
    // Columns stored as JSON text compare by their canonical form.
    const jsonColumns = new Set(['points', 'transform', 'settings']);
    const files: Array<{ table: Table; id: string; sha: string }> = [];
    for (const c of checks) {
      for (const row of this.db.prepare(c.sql).all(caseId) as Array<Record<string, string | number | null>>) {
        const id = String(row.id);
        const ev = c.actions.map((a) => recorded.get(`${a}:${id}`)).find((x) => x !== undefined);
        if (!ev)
          return fail({ table: c.table, caseId, id }, `no ${c.actions[0]} audit event records this row`);
        for (const f of [...c.fields, ...c.files]) {
          const inRow = jsonColumns.has(f) ? JSON.parse(String(row[f])) : row[f];
          if (canonicalJson(inRow ?? null) !== canonicalJson(ev[f] ?? null)) {
            return fail(
              { table: c.table, caseId, id },
              `${f} in the row (${canonicalJson(inRow ?? null).slice(0, 80)}) differs from the audit event's (${canonicalJson(ev[f] ?? null).slice(0, 80)})`,
            );
          }
        }
        for (const f of c.files) files.push({ table: c.table, id, sha: String(row[f]) });
      }
    }
    for (const r of this.db
      .prepare('SELECT id, seed, settings FROM runs WHERE case_id = ?')
      .all(caseId) as Array<{
      id: string;
      seed: string;
      settings: string;
    }>) {
      if ((JSON.parse(r.settings) as { seed?: string }).seed !== r.seed) {
        return fail(
          { table: 'runs', caseId, id: r.id },
          "the run's seed differs from the seed in its settings",
        );
      }
    }
    const doneRuns = this.db
      .prepare("SELECT id, record FROM runs WHERE case_id = ? AND status = 'done'")
      .all(caseId) as Array<{ id: string; record: string | null }>;
    for (const r of doneRuns) {
      const ev = recorded.get(`run.done:${r.id}`);
      if (!ev) return fail({ table: 'runs', caseId, id: r.id }, 'no run.done audit event records this run');
      if (canonicalJson(JSON.parse(r.record ?? 'null')) !== canonicalJson(ev.record ?? null)) {
        return fail(
          { table: 'runs', caseId, id: r.id },
          "the run's C7 record differs from the run.done audit event's",
        );
      }
    }
    const outputs = this.db
      .prepare(
        `SELECT o.id, o.run_id AS runId, o.kind, o.idx, o.sha256, o.pixels_sha256 AS pixelsSha256
         FROM outputs o JOIN runs r ON r.id = o.run_id WHERE r.case_id = ? ORDER BY o.run_id, o.kind, o.idx`,
      )
      .all(caseId) as Array<{
      id: string;
      runId: string;
      kind: string;
      idx: number;
      sha256: string;
      pixelsSha256: string;
    }>;
    for (const o of outputs) {
      const ev = recorded.get(`run.done:${o.runId}`);
      const list = (ev?.outputs ?? []) as Array<Record<string, JsonValue>>;
      const match = list.find((x) => x.kind === o.kind && x.index === o.idx);
      if (!match)
        return fail({ table: 'outputs', caseId, id: o.id }, 'no run.done audit event records this output');
      if (match.sha256 !== o.sha256 || match.pixelsSha256 !== o.pixelsSha256) {
        return fail(
          { table: 'outputs', caseId, id: o.id },
          "the output's hashes differ from the audit event's",
        );
      }
      files.push({ table: 'outputs', id: o.id, sha: o.sha256 });
    }
    for (const f of files) {
      const problem = store.check(caseId, f.sha);
      if (problem)
        return fail({ table: f.table, caseId, id: f.id, file: store.pathOf(caseId, f.sha) }, problem);
    }
    const last = events.at(-1);
    return {
      ok: true,
      caseId,
      events: events.length,
      headHash: last?.hash ?? GENESIS_HASH,
      filesChecked: files.length,
    };
  }
}
