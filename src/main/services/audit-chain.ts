/**
 * The C6 hash chain, as pure functions over event values: shared by the database verifier and case import.
 *
 * hash(e) = SHA-256( UTF-8( prev_hash || canonicalJson({ action, actor, caseId, [examiner,] payload, seq, subject, time }) ) )
 * where `||` is string concatenation of the 64 hex digits of prev_hash and the canonical JSON text
 * (canonical-json.ts); the first event of a case has prev_hash = 64 zeros. `examiner` is in the hashed object only
 * when the event has one (schema 7 on), so every event written before hashes as it always did.
 */
import { canonicalJson, type JsonValue } from './canonical-json';
import { sha256Hex } from '../crypto';

/** prev_hash of the first event of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** One audit event as stored (payload is the parsed JSON value). */
export interface AuditEventValue {
  readonly caseId: string;
  readonly seq: number;
  readonly time: string;
  /** The OS account that made the change. */
  readonly actor: string;
  /** The examiner's name as they gave it (app settings, `--examiner`, FACET_EXAMINER), or null/absent. */
  readonly examiner?: string | null;
  readonly action: string;
  readonly subject: string;
  readonly payload: JsonValue;
  readonly prevHash: string;
  readonly hash: string;
}

/** Where a chain broke and why. */
export interface ChainBreak {
  /** The sequence number of the first event that does not verify (or the expected one, for a gap). */
  readonly seq: number;
  readonly reason: string;
}

/** The hash of an event from its fields and its predecessor's hash. */
export function eventHash(e: Omit<AuditEventValue, 'hash'>): string {
  const body = canonicalJson({
    caseId: e.caseId,
    seq: e.seq,
    time: e.time,
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    payload: e.payload,
    // Left out when unset, so that events without an examiner keep the hash they were written with.
    ...(typeof e.examiner === 'string' ? { examiner: e.examiner } : {}),
  });
  return sha256Hex(e.prevHash + body);
}

/**
 * Recomputes a case's chain, given in the order stored (by seq), and returns the first broken link, or null.
 * `head` is the recorded end of the chain, if any: events cut off the end show up against it.
 */
export function findChainBreak(
  events: readonly AuditEventValue[],
  head?: { readonly seq: number; readonly hash: string } | null,
): ChainBreak | null {
  let prev = GENESIS_HASH;
  let expectSeq = 1;
  for (const e of events) {
    if (e.seq !== expectSeq) {
      return {
        seq: expectSeq,
        reason:
          e.seq > expectSeq
            ? `event ${expectSeq} is missing (next stored event is ${e.seq})`
            : `event ${e.seq} is out of order (expected ${expectSeq})`,
      };
    }
    if (e.prevHash !== prev) {
      return { seq: e.seq, reason: `prev_hash does not match the hash of event ${e.seq - 1}` };
    }
    const recomputed = eventHash(e);
    if (recomputed !== e.hash) {
      return {
        seq: e.seq,
        reason: `hash mismatch: the event's content was changed (stored ${short(e.hash)}, recomputed ${short(recomputed)})`,
      };
    }
    prev = e.hash;
    expectSeq += 1;
  }
  if (head) {
    const last = events.at(-1);
    if (!last || last.seq < head.seq) {
      return {
        seq: (last?.seq ?? 0) + 1,
        reason: `the chain ends at event ${last?.seq ?? 0} but its recorded head is event ${head.seq}: events were removed from the end`,
      };
    }
    if (last.seq !== head.seq || last.hash !== head.hash) {
      return {
        seq: last.seq,
        reason: `the last event does not match the recorded chain head (event ${head.seq})`,
      };
    }
  }
  return null;
}

function short(h: string): string {
  return h.slice(0, 12);
}
