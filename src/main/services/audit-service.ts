import type { AuditEvent, VerifyResult } from '../../shared/contract';
import { FacetError } from '../../shared/errors';
import type { Db } from '../db/database';
import type { ObjectStore } from '../store/object-store';
import { eventHash, findChainBreak, GENESIS_HASH, type AuditEventValue } from './audit-chain';
import { replayCase, type CaseTable } from './audit-coverage';
import { crossCheckRows } from './audit-crosscheck';
import { canonicalJson, type JsonValue } from './canonical-json';

interface EventRow {
  case_id: string;
  seq: number;
  time: string;
  actor: string;
  /** Schema 6 on; absent in rows read from older archives. */
  examiner?: string | null;
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
    examiner: r.examiner ?? null,
    action: r.action,
    subject: r.subject,
    payload,
    payloadText: r.payload,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** Where a verification failed, in words: `evidence, id 3f2..., column original_name`. */
export function describeLocation(l: Extract<VerifyResult, { ok: false }>['location']): string {
  return [
    l.table,
    l.seq !== undefined ? `seq ${l.seq}` : null,
    l.id ? `id ${l.id}` : null,
    l.column ? `column ${l.column}` : null,
    l.file ? `file ${l.file}` : null,
  ]
    .filter(Boolean)
    .join(', ');
}

/** What a state-changing service call records about itself. */
export interface AuditEntry {
  readonly caseId: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly payload: JsonValue;
  /**
   * The event's time, ISO 8601 UTC; default now. A change passes the time it writes into its rows, so that the
   * row's timestamp column is exactly the event's time (the verifier compares them).
   */
  readonly time?: string;
}

/** The C6 audit trail: appends hash-chained events (inside the caller's transaction) and verifies cases. */
export class AuditService {
  private examiner: string | null = null;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The examiner recorded in every event from now on (beside the OS account in `actor`); null: none given. */
  setExaminer(name: string | null): void {
    this.examiner = name;
  }

  /** The examiner events are recorded with now. */
  currentExaminer(): string | null {
    return this.examiner;
  }

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
    const time = entry.time ?? this.now().toISOString();
    const value = {
      caseId: entry.caseId,
      actor: entry.actor,
      examiner: this.examiner,
      action: entry.action,
      subject: entry.subject,
      payload: entry.payload,
      seq,
      time,
      prevHash,
    };
    const hash = eventHash(value);
    this.db
      .prepare(
        `INSERT INTO audit_events (case_id, seq, time, actor, examiner, action, subject, payload, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.caseId,
        seq,
        time,
        entry.actor,
        this.examiner,
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
   * Verifies a case, reading only: recomputes its chain, checks each event's payload is stored canonically,
   * replays the chain and compares every covered column of every row of the case with it (audit-coverage.ts), and
   * re-hashes every stored file. Reports OK or the first problem with its location (table, row, column, file).
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
    const replayed = replayCase(events);
    if (replayed.problem) {
      return fail({ table: 'audit_events', caseId, seq: replayed.problem.seq }, replayed.problem.reason);
    }
    // Every covered column of every row must be what the chain says (audit-coverage.ts).
    const { mismatch, unchecked, rows } = crossCheckRows(this.db, caseId, replayed);
    if (mismatch) {
      const { reason, ...where } = mismatch;
      return fail({ ...where, caseId }, reason);
    }
    const files: Array<{ table: CaseTable; id: string; sha: string }> = [];
    const fileColumns: Array<[CaseTable, string]> = [
      ['evidence', 'sha256'],
      ['faces', 'crop_sha256'],
      ['faces', 'lr_sha256'],
      ['outputs', 'sha256'],
      ['reports', 'sha256'],
    ];
    for (const [table, col] of fileColumns) {
      for (const r of rows[table]) files.push({ table, id: String(r.id), sha: String(r[col]) });
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
      ...(unchecked.length > 0 ? { uncheckedColumns: unchecked } : {}),
    };
  }
}
