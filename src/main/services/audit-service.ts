import type { AnchorResult, AuditEvent, VerifyResult } from '../../shared/contract';
import { FacetError } from '../../shared/errors';
import type { Db } from '../db/database';
import type { AuditSigner, PublicKeyInfo } from '../signing/audit-key';
import type { ObjectStore } from '../store/object-store';
import { eventHash, findChainBreak, GENESIS_HASH, type AuditEventValue } from './audit-chain';
import { firstAnchorDifference } from './audit-anchor';
import { replayCase, type CaseTable } from './audit-coverage';
import { crossCheckRows } from './audit-crosscheck';
import { checkSignatures, signHead, type HeadSignature } from './audit-signature';
import { missingTriggers } from './audit-triggers';
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

interface SignatureRow {
  case_id: string;
  seq: number;
  hash: string;
  public_key: string;
  key_fingerprint: string;
  signature: string;
}

const toSignature = (r: SignatureRow): HeadSignature => ({
  caseId: r.case_id,
  seq: r.seq,
  hash: r.hash,
  publicKey: r.public_key,
  keyFingerprint: r.key_fingerprint,
  signature: r.signature,
});

/** Where the audit service gets its key: the signer (appending processes) and this installation's public keys. */
export interface AuditKeys {
  /** Loads (creating on first use) the installation's signing key; absent: events are appended unsigned. */
  readonly signer?: () => AuditSigner;
  /** This installation's public keys, to say whether a signature is by a local key. */
  readonly localKeys?: () => readonly PublicKeyInfo[];
}

/** Options of one verification. */
export interface VerifyOptions {
  /** Accept only signatures by these key fingerprints (`audit verify --key`). */
  readonly trustedKeys?: readonly string[];
  /** Importing an archive made before signing existed: its head is not signed yet (the import event will be). */
  readonly allowUnsignedHead?: boolean;
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
    private readonly keys: AuditKeys = {},
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
    if (this.keys.signer)
      this.insertSignature(signHead(this.keys.signer(), { caseId: entry.caseId, seq, hash }));
    return { ...value, hash };
  }

  /**
   * Signs the current head of every case whose head is unsigned: run once, by the process that applies the
   * signatures migration, inside its transaction (never later: signing whatever head is found would launder a
   * chain rewritten without the key).
   */
  signLegacyHeads(): number {
    const signer = this.keys.signer;
    if (!signer) return 0;
    const heads = this.db
      .prepare(
        `SELECT h.case_id AS caseId, h.seq AS seq, h.hash AS hash FROM audit_heads h
         WHERE NOT EXISTS (SELECT 1 FROM audit_signatures s WHERE s.case_id = h.case_id AND s.seq = h.seq)`,
      )
      .all() as Array<{ caseId: string; seq: number; hash: string }>;
    for (const h of heads) this.insertSignature(signHead(signer(), h));
    return heads.length;
  }

  private insertSignature(s: HeadSignature): void {
    this.db
      .prepare(
        `INSERT INTO audit_signatures (case_id, seq, hash, public_key, key_fingerprint, signature)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(s.caseId, s.seq, s.hash, s.publicKey, s.keyFingerprint, s.signature);
  }

  /** Every stored head signature of a case, by seq. */
  signatures(caseId: string): HeadSignature[] {
    return (
      this.db
        .prepare('SELECT * FROM audit_signatures WHERE case_id = ? ORDER BY seq')
        .all(caseId) as SignatureRow[]
    ).map(toSignature);
  }

  /** The signature of one head, or null. */
  signatureOf(caseId: string, seq: number): HeadSignature | null {
    const r = this.db
      .prepare('SELECT * FROM audit_signatures WHERE case_id = ? AND seq = ?')
      .get(caseId, seq) as SignatureRow | undefined;
    return r ? toSignature(r) : null;
  }

  /** This installation's public keys (fingerprints), for reports and verifiers. */
  localKeys(): readonly PublicKeyInfo[] {
    return this.keys.localKeys?.() ?? [];
  }

  /**
   * Checks an anchor (a head handed out earlier, `SEQ:HASH`) against today's chain: the event at SEQ must still
   * have that hash and the chain up to it must recompute; a chain that now ends before SEQ was cut. On a mismatch
   * the first changed event is named where the signatures show it. Reads only.
   */
  checkAnchor(caseId: string, anchor: { seq: number; hash: string }): AnchorResult {
    const exists = this.db.prepare('SELECT 1 FROM cases WHERE id = ?').get(caseId);
    if (!exists) throw new FacetError('not-found', `No case with id ${caseId}.`);
    const events = this.all(caseId);
    const head = this.head(caseId);
    const base = { caseId, seq: anchor.seq, hash: anchor.hash, headSeq: head?.seq ?? 0 };
    const diff = firstAnchorDifference(events, this.signatures(caseId), anchor);
    if (diff) return { ok: false, ...base, firstDifference: diff.seq, reason: diff.reason };
    const sig = this.signatureOf(caseId, anchor.seq);
    return {
      ok: true,
      ...base,
      ...(sig && sig.hash === anchor.hash ? { signedBy: sig.keyFingerprint } : {}),
    };
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
  verify(caseId: string, store: ObjectStore, opts: VerifyOptions = {}): VerifyResult {
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
    // A chain that recomputes may have been recomputed: only the key's signatures tell (audit-signature.ts).
    const sigs = checkSignatures(events, this.signatures(caseId), {
      local: new Set(this.localKeys().map((k) => k.fingerprint)),
      ...(opts.trustedKeys ? { trusted: new Set(opts.trustedKeys) } : {}),
      allowUnsignedHead: opts.allowUnsignedHead === true,
    });
    if (sigs.problem) {
      return fail({ table: 'audit_signatures', caseId, seq: sigs.problem.seq }, sigs.problem.reason);
    }
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
    // Last, so that a tampered row is named first: without the triggers, events can be edited in place.
    const dropped = missingTriggers(this.db);
    if (dropped.length > 0) {
      return fail(
        { table: 'audit_events', caseId },
        `the append-only triggers are missing or altered: ${dropped.join(', ')}; the database no longer refuses edits of the audit log`,
      );
    }
    const last = events.at(-1);
    return {
      ok: true,
      caseId,
      events: events.length,
      headSeq: last?.seq ?? 0,
      headHash: last?.hash ?? GENESIS_HASH,
      signers: sigs.signers,
      unsignedThrough: sigs.unsignedThrough,
      triggers: 'present',
      filesChecked: files.length,
      ...(unchecked.length > 0 ? { uncheckedColumns: unchecked } : {}),
    };
  }
}
