/**
 * Signed audit heads (C6). Every append writes the new head `(caseId, seq, hash)` with an Ed25519 signature by the
 * installation's key; since each hash commits to everything before it, a valid signature on event k vouches for
 * events 1..k. Someone who can write the database but lacks the key can rewrite or recompute the chain, but cannot
 * make the signatures match again. The key holder can, until an anchor (a head handed out in a report) exists.
 *
 * message = UTF-8( canonicalJson({ caseId, format: "facet-sr/audit-head@1", hash, seq }) )
 */
import { verify as verifySignature } from 'node:crypto';
import type { AuditEventValue } from './audit-chain';
import { canonicalJson } from './canonical-json';
import { keyFingerprint, publicKeyObject, type AuditSigner } from '../signing/audit-key';

export const HEAD_SIGNATURE_FORMAT = 'facet-sr/audit-head@1';

/** One signed head, as stored in `audit_signatures` and shown in reports. */
export interface HeadSignature {
  readonly caseId: string;
  readonly seq: number;
  readonly hash: string;
  /** Raw Ed25519 public key, base64. */
  readonly publicKey: string;
  /** SHA-256 of the raw public key, hex. */
  readonly keyFingerprint: string;
  /** Ed25519 signature of headMessage, base64. */
  readonly signature: string;
}

/** Which key vouches for which events (contiguous runs of signatures by one key). */
export interface SignerRange {
  readonly fingerprint: string;
  readonly publicKey: string;
  readonly fromSeq: number;
  readonly toSeq: number;
  /** The key is one of this installation's (`keys/*.pub` of the data folder). */
  readonly local: boolean;
}

/** The signed message for a head. */
export function headMessage(h: { caseId: string; seq: number; hash: string }): Buffer {
  return Buffer.from(
    canonicalJson({ caseId: h.caseId, format: HEAD_SIGNATURE_FORMAT, hash: h.hash, seq: h.seq }),
    'utf8',
  );
}

/** Signs a head with the installation's key. */
export function signHead(
  signer: AuditSigner,
  h: { caseId: string; seq: number; hash: string },
): HeadSignature {
  return {
    caseId: h.caseId,
    seq: h.seq,
    hash: h.hash,
    publicKey: signer.publicKey,
    keyFingerprint: signer.fingerprint,
    signature: signer.sign(headMessage(h)),
  };
}

/** Why one signature does not hold, or null when it verifies. */
export function headSignatureProblem(s: HeadSignature): string | null {
  if (keyFingerprint(s.publicKey) !== s.keyFingerprint)
    return 'its key fingerprint is not that of its public key';
  try {
    const ok = verifySignature(
      null,
      headMessage(s),
      publicKeyObject(s.publicKey),
      Buffer.from(s.signature, 'base64'),
    );
    return ok ? null : 'the Ed25519 signature does not verify';
  } catch (e) {
    return `the signature cannot be checked (${(e as Error).message})`;
  }
}

/**
 * Checks a case's signatures against its (already recomputed) chain: every stored signature must be of the event
 * with that seq and hash and verify; from the first signed event on, every event must be signed (events before it
 * were written before signing existed, or imported unsigned, and are vouched for by it through the chain); and the
 * head must be signed unless `allowUnsignedHead` (importing an archive from before signing). `trusted`, when
 * given, lists the only fingerprints accepted. Returns the first problem at its seq, and the signer ranges.
 */
export function checkSignatures(
  events: readonly AuditEventValue[],
  signatures: readonly HeadSignature[],
  opts: { local: ReadonlySet<string>; trusted?: ReadonlySet<string>; allowUnsignedHead?: boolean },
): { problem: { seq: number; reason: string } | null; signers: SignerRange[]; unsignedThrough: number } {
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  const signers: SignerRange[] = [];
  const done = (problem: { seq: number; reason: string } | null, unsignedThrough: number) => ({
    problem,
    signers,
    unsignedThrough,
  });
  const sorted = [...signatures].sort((a, b) => a.seq - b.seq);
  for (const s of sorted) {
    const e = bySeq.get(s.seq);
    if (!e)
      return done({ seq: s.seq, reason: `a signature names event ${s.seq}, which is not in the chain` }, 0);
    if (e.hash !== s.hash) {
      return done(
        {
          seq: s.seq,
          reason: `event ${s.seq} is not the event that was signed (its hash ${e.hash.slice(0, 12)} differs from the signed ${s.hash.slice(0, 12)}): it was changed or recomputed without the key`,
        },
        0,
      );
    }
    const bad = headSignatureProblem(s);
    if (bad) return done({ seq: s.seq, reason: `the signature of event ${s.seq} is invalid: ${bad}` }, 0);
    if (opts.trusted && !opts.trusted.has(s.keyFingerprint)) {
      return done(
        {
          seq: s.seq,
          reason: `event ${s.seq} is signed by key ${s.keyFingerprint}, not by the expected key`,
        },
        0,
      );
    }
    const last = signers.at(-1);
    if (last && last.fingerprint === s.keyFingerprint && last.toSeq === s.seq - 1) {
      signers[signers.length - 1] = { ...last, toSeq: s.seq };
    } else {
      signers.push({
        fingerprint: s.keyFingerprint,
        publicKey: s.publicKey,
        fromSeq: s.seq,
        toSeq: s.seq,
        local: opts.local.has(s.keyFingerprint),
      });
    }
  }
  const signed = new Set(sorted.map((s) => s.seq));
  const first = sorted[0]?.seq;
  const unsignedThrough = first === undefined ? (events.at(-1)?.seq ?? 0) : first - 1;
  for (const e of events) {
    if (first !== undefined && e.seq > first && !signed.has(e.seq)) {
      return done(
        {
          seq: e.seq,
          reason: `event ${e.seq} is not signed although earlier events are: it was appended without the key`,
        },
        unsignedThrough,
      );
    }
  }
  const head = events.at(-1);
  if (head && !signed.has(head.seq) && !opts.allowUnsignedHead) {
    return done(
      {
        seq: head.seq,
        reason: `the head (event ${head.seq}) is not signed: the chain was written or rewritten without the key`,
      },
      unsignedThrough,
    );
  }
  return done(null, unsignedThrough);
}
