import { callOrThrow } from '../../main/api/router';
import { describeLocation } from '../../main/services/audit-service';
import { FacetError } from '../../shared/errors';
import { printable } from '../printable';
import type { CliCommand } from '../context';
import { resolveCase } from '../resolve';

/** `facet audit verify <case>` (exit 0 when OK, 1 at the first broken link) and `facet audit log <case>`. */
export const auditCommand: CliCommand = async ({ app, args, out }) => {
  const [sub, caseRef] = args;
  const caseId = caseRef ? (await resolveCase(app.router, caseRef)).id : undefined;
  if (sub === 'verify' && caseId) {
    const r = await callOrThrow(app.router, 'audit.verify', { caseId });
    if (r.ok) {
      out(`OK: case ${r.caseId}, ${r.events} events, ${r.filesChecked} files re-hashed, head ${r.headHash}`);
      if (r.uncheckedColumns)
        out(`note: an older audit format; not cross-checked: ${r.uncheckedColumns.join(', ')}`);
      return 0;
    }
    out(printable(`BROKEN: case ${r.caseId} at ${describeLocation(r.location)}: ${r.reason}`));
    return 1;
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
  throw new FacetError('invalid-input', 'usage: facet audit verify <case> | facet audit log <case>');
};
