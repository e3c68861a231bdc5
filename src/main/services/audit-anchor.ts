/**
 * Anchors (C6): a head handed out earlier, `SEQ:HASH`, printed in every report, export and `audit verify`. Checking
 * one against today's chain proves that nothing up to SEQ changed and that the chain was not cut below it.
 */
import { findChainBreak, type AuditEventValue } from './audit-chain';
import { headSignatureProblem, type HeadSignature } from './audit-signature';
import type { Anchor } from '../../shared/anchor';

export { formatAnchor, parseAnchor, type Anchor } from '../../shared/anchor';

/**
 * The first difference between an anchor and today's chain, or null when the anchored event still has its hash and
 * the chain up to it recomputes. A rewrite that recomputed every hash is located by the stored signatures: the first
 * event whose signed hash no longer matches (or whose signature fails) is the first changed one.
 */
export function firstAnchorDifference(
  events: readonly AuditEventValue[],
  signatures: readonly HeadSignature[],
  anchor: Anchor,
): { seq: number; reason: string } | null {
  const prefix = events.filter((e) => e.seq <= anchor.seq);
  const brk = findChainBreak(prefix);
  if (brk) return { seq: brk.seq, reason: `before the anchor, ${brk.reason}` };
  const at = prefix.at(-1);
  if (!at || at.seq < anchor.seq) {
    const end = at?.seq ?? 0;
    return {
      seq: end + 1,
      reason: `the chain now ends at event ${end}, below the anchored event ${anchor.seq}: events ${end + 1}..${anchor.seq} (at least) were removed and the head moved back`,
    };
  }
  if (at.hash === anchor.hash) return null;
  const bySeq = new Map(prefix.map((e) => [e.seq, e]));
  const changed = signatures
    .filter((s) => s.seq <= anchor.seq)
    .sort((a, b) => a.seq - b.seq)
    .find((s) => bySeq.get(s.seq)?.hash !== s.hash || headSignatureProblem(s) !== null);
  const where = changed
    ? `the first changed event is ${changed.seq} (its hash no longer matches the one signed when it was written)`
    : `every stored signature still matches its event, so either the anchor is not from this case's chain or the chain was rewritten at or before event ${anchor.seq} and signed again (see which key signed it)`;
  return {
    seq: changed?.seq ?? anchor.seq,
    reason: `event ${anchor.seq} has hash ${at.hash.slice(0, 12)}, the anchor says ${anchor.hash.slice(0, 12)}: ${where}`,
  };
}
