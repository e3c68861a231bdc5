import { resolve } from 'node:path';
import { callOrThrow } from '../../main/api/router';
import { FacetError } from '../../shared/errors';
import { printable } from '../printable';
import type { CliCommand } from '../context';
import { resolveCase } from '../resolve';

/** `facet evidence import <case> <file> [--reference]` and `facet evidence list <case>`. */
export const evidenceCommand: CliCommand = async ({ app, args, flags, out }) => {
  const [sub, caseRef, file] = args;
  const caseId = caseRef ? (await resolveCase(app.router, caseRef)).id : undefined;
  if (sub === 'list' && caseId) {
    for (const e of await callOrThrow(app.router, 'evidence.list', { caseId })) {
      out(`${e.id}  ${e.role.padEnd(9)}  ${e.sha256}  ${e.width}x${e.height}  ${printable(e.originalName)}`);
    }
    return 0;
  }
  if (sub === 'import' && caseId && file) {
    const path = resolve(file);
    app.paths.allowRead(path);
    const r = await callOrThrow(app.router, 'evidence.import', {
      caseId,
      path,
      role: flags.reference ? 'reference' : 'probe',
    });
    const e = r.evidence;
    out(`evidence  ${printable(e.originalName)}  ${e.id}${r.duplicate ? '  (already in the case)' : ''}`);
    out(`sha256    ${e.sha256}`);
    out(`role      ${e.role}  ${e.width}x${e.height}`);
    return 0;
  }
  throw new FacetError(
    'invalid-input',
    'usage: facet evidence list <case> | facet evidence import <case> <file> [--reference]',
  );
};
