import { resolve } from 'node:path';
import { callOrThrow } from '../../main/api/router';
import { FacetError } from '../../shared/errors';
import { printable } from '../printable';
import type { CliCommand } from '../context';

/** `facet verify <manifest.json>`: re-runs every run of a report manifest and compares output hashes. */
export const verifyCommand: CliCommand = async ({ app, args, out }) => {
  const [file] = args;
  if (!file) throw new FacetError('invalid-input', 'usage: facet verify <manifest.json>');
  const path = resolve(file);
  app.paths.allowRead(path);
  const r = await callOrThrow(app.router, 'reports.verifyManifest', { path });
  for (const run of r.runs) out(printable(`run ${run.runId}: ${run.summary}`));
  for (const p of r.problems) out(printable(`PROBLEM: ${p}`));
  out(r.ok ? 'OK: the manifest verifies' : 'FAILED: the manifest does not verify');
  return r.ok ? 0 : 1;
};
