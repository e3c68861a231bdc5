import { callOrThrow } from '../../main/api/router';
import { formatAnchor, parseAnchor } from '../../main/services/audit-anchor';
import { describeLocation } from '../../main/services/audit-service';
import type { SignerRange } from '../../shared/contract';
import { FacetError } from '../../shared/errors';
import { printable } from '../printable';
import type { CliCommand } from '../context';
import { resolveCase } from '../resolve';

const USAGE =
  'usage: facet audit verify <case> [--anchor SEQ:HASH] [--key FINGERPRINT[,FINGERPRINT]] | facet audit log <case>';

/** One line per key that vouches for the chain, saying whose it is. */
export function signerLines(signers: readonly SignerRange[], unsignedThrough: number): string[] {
  const lines = signers.map(
    (s) =>
      `signed: events ${s.fromSeq}..${s.toSeq} by key ${s.fingerprint} (${s.local ? "this installation's" : 'another installation: an imported case'})`,
  );
  if (unsignedThrough > 0)
    lines.push(
      `note: events 1..${unsignedThrough} carry no signature of their own (written before signing or imported unsigned); the first signature vouches for them through the chain`,
    );
  return lines;
}

/**
 * `facet audit verify <case>` (exit 0 when OK, 1 at the first broken link): recomputes the chain, checks the head
 * signatures and the append-only triggers, cross-checks every row and re-hashes every file, and prints the head as
 * an anchor `SEQ:HASH`. `--anchor SEQ:HASH` also proves that an earlier head is still in the chain unchanged;
 * `--key` accepts only signatures by the given key fingerprints. `facet audit log <case>` prints the trail.
 */
export const auditCommand: CliCommand = async ({ app, args, flags, out }) => {
  const [sub, caseRef] = args;
  const caseId = caseRef ? (await resolveCase(app.router, caseRef)).id : undefined;
  if (sub === 'verify' && caseId) {
    const anchorText = typeof flags.anchor === 'string' ? flags.anchor : null;
    const anchor = anchorText === null ? null : parseAnchor(anchorText);
    if (anchorText !== null && !anchor)
      throw new FacetError('invalid-input', `--anchor must be SEQ:HASH (64 hex digits), not ${anchorText}`);
    const trustedKeys =
      typeof flags.key === 'string' ? flags.key.split(',').map((k) => k.trim().toLowerCase()) : undefined;
    const r = await callOrThrow(app.router, 'audit.verify', {
      caseId,
      ...(trustedKeys ? { trustedKeys } : {}),
    });
    let ok = r.ok;
    if (r.ok) {
      out(
        `OK: case ${r.caseId}, ${r.events} events, ${r.filesChecked} files re-hashed, append-only triggers present, head ${formatAnchor({ seq: r.headSeq ?? r.events, hash: r.headHash })}`,
      );
      for (const l of signerLines(r.signers ?? [], r.unsignedThrough ?? 0)) out(l);
      if (r.uncheckedColumns)
        out(`note: an older audit format; not cross-checked: ${r.uncheckedColumns.join(', ')}`);
    } else {
      out(printable(`BROKEN: case ${r.caseId} at ${describeLocation(r.location)}: ${r.reason}`));
    }
    if (anchor) {
      const a = await callOrThrow(app.router, 'audit.checkAnchor', { caseId, ...anchor });
      if (a.ok) {
        out(
          `OK: anchor ${formatAnchor(a)} is in today's chain (head ${a.headSeq}) and nothing up to it changed${a.signedBy ? `; signed by key ${a.signedBy}` : ''}`,
        );
      } else {
        ok = false;
        out(
          printable(
            `ANCHOR FAILED: ${formatAnchor(a)}: first difference at event ${a.firstDifference}: ${a.reason}`,
          ),
        );
      }
    }
    return ok ? 0 : 1;
  }
  if (sub === 'log' && caseId) {
    let after = 0;
    for (;;) {
      const page = await callOrThrow(app.router, 'audit.list', { caseId, afterSeq: after, limit: 500 });
      for (const e of page)
        out(
          printable(
            `${e.seq}  ${e.time}  ${e.actor}  ${e.action}  ${e.subject}  ${JSON.stringify(e.payload)}`,
          ),
        );
      if (page.length < 500) return 0;
      after = page.at(-1)!.seq;
    }
  }
  throw new FacetError('invalid-input', USAGE);
};
