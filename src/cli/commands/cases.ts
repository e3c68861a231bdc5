import { resolve } from 'node:path';
import { callOrThrow } from '../../main/api/router';
import { FacetError } from '../../shared/errors';
import { formatAnchor } from '../../main/services/audit-anchor';
import { printable } from '../printable';
import type { CliCommand } from '../context';
import { signerLines } from './audit';
import { resolveCase } from '../resolve';

/** `facet cases list|create|rename|close|reopen`. */
export const casesCommand: CliCommand = async ({ app, args, out }) => {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'list':
      for (const c of await callOrThrow(app.router, 'cases.list', {})) {
        out(`case  ${printable(c.name)}  ${c.id}  ${c.status}  created ${c.createdAt}`);
      }
      return 0;
    case 'create': {
      const c = await callOrThrow(app.router, 'cases.create', { name: rest.join(' ') });
      out(`case  ${printable(c.name)}  ${c.id}`);
      return 0;
    }
    case 'rename': {
      const [caseRef, ...name] = rest;
      const caseId = (await resolveCase(app.router, caseRef ?? '')).id;
      const c = await callOrThrow(app.router, 'cases.rename', { caseId, name: name.join(' ') });
      out(`case  ${printable(c.name)}  ${c.id}`);
      return 0;
    }
    case 'close':
    case 'reopen': {
      const c = await callOrThrow(app.router, sub === 'close' ? 'cases.close' : 'cases.reopen', {
        caseId: (await resolveCase(app.router, rest[0] ?? '')).id,
      });
      out(`case  ${printable(c.name)}  ${c.id}  ${c.status}`);
      return 0;
    }
    default:
      throw new FacetError('invalid-input', `Unknown cases command: ${sub ?? '(none)'}`);
  }
};

/** `facet case export <case> <file>` and `facet case import <file>`: one archive per case. */
export const caseArchiveCommand: CliCommand = async ({ app, args, out }) => {
  const [sub, a, b] = args;
  if (sub === 'export' && a && b) {
    const path = resolve(b);
    app.paths.allowWrite(path);
    const caseId = (await resolveCase(app.router, a)).id;
    const r = await callOrThrow(app.router, 'cases.export', { caseId, path });
    out(`exported ${r.events} events and ${r.files} files to ${r.path}\nsha256 ${r.sha256}`);
    out(`head ${formatAnchor(r.head)} (the export event follows it)`);
    for (const l of signerLines(r.signers, 0)) out(l);
    return 0;
  }
  if (sub === 'import' && a) {
    const path = resolve(a);
    app.paths.allowRead(path);
    const r = await callOrThrow(app.router, 'cases.import', { path });
    out(`imported case ${r.caseId}: ${r.events} events verified, ${r.files} files verified`);
    out(`head ${formatAnchor(r.head)}`);
    for (const l of signerLines(r.signers, r.unsignedThrough)) out(l);
    return 0;
  }
  throw new FacetError(
    'invalid-input',
    'usage: facet case export <case> <file.tar> | facet case import <file.tar>',
  );
};
