import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { callOrThrow } from '../../main/api/router';
import { FacetError } from '../../shared/errors';
import { printable } from '../printable';
import type { CliCommand } from '../context';

/**
 * `facet verify <manifest.json> [--evidence DIR]`: checks a report manifest and prints each check by name with
 * OK, FAIL or SKIPPED (chain, head signature, values against the chain, the anchor in today's case, evidence files,
 * embedded images, re-runs). Exit 0 when nothing failed.
 */
export const verifyCommand: CliCommand = async ({ app, args, flags, out }) => {
  const [file] = args;
  if (!file) throw new FacetError('invalid-input', 'usage: facet verify <manifest.json> [--evidence DIR]');
  const path = resolve(file);
  app.paths.allowRead(path);
  const dirs = typeof flags.evidence === 'string' ? [resolve(flags.evidence)] : [];
  for (const d of dirs) {
    if (!existsSync(d)) throw new FacetError('invalid-input', `No such folder: ${d}`);
    app.paths.allowRead(d);
  }
  const r = await callOrThrow(app.router, 'reports.verifyManifest', {
    path,
    ...(dirs.length > 0 ? { evidenceDirs: dirs } : {}),
  });
  for (const c of r.checks) out(printable(`${c.status.toUpperCase().padEnd(7)} ${c.name}: ${c.detail}`));
  for (const run of r.runs) out(printable(`run ${run.runId}: ${run.summary}`));
  for (const p of r.problems) out(printable(`PROBLEM: ${p}`));
  out(r.ok ? 'OK: the manifest verifies' : 'FAILED: the manifest does not verify');
  return r.ok ? 0 : 1;
};
