import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { callOrThrow } from '../../main/api/router';
import { formatAnchor } from '../../shared/anchor';
import { FacetError } from '../../shared/errors';
import { printable } from '../printable';
import type { CliCommand, CliContext } from '../context';
import { resolveCase, resolveRun } from '../resolve';

const EXT = { pdf: 'pdf', html: 'html', manifest: 'manifest.json' } as const;

/** The anchor `SEQ:HASH` recorded in a manifest just written. */
function manifestAnchor(path: string): string {
  const m = JSON.parse(readFileSync(path, 'utf8')) as { audit?: { headSeq?: number; headHash?: string } };
  return m.audit?.headSeq && m.audit.headHash
    ? formatAnchor({ seq: m.audit.headSeq, hash: m.audit.headHash })
    : '';
}

/**
 * `facet report <case> [--run <id>] --out <folder>`: writes the PDF, HTML and manifest JSON. With `--check` (read-only)
 * it only builds the manifest in memory: exit 0 when a report could be made, 1 with the first broken link.
 */
export const reportCommand: CliCommand = async ({ app, args, flags, out }) => {
  const [caseRef] = args;
  if (caseRef && flags.check === true) {
    const caseId = (await resolveCase(app.router, caseRef)).id;
    const runId =
      typeof flags.run === 'string' ? (await resolveRun(app.router, caseId, flags.run)).id : undefined;
    try {
      const m = await app.reports.manifest(caseId, runId);
      out(
        `OK: a report of case ${caseId} can be made: ${m.audit.events} events verified, ${m.evidence.length} evidence, ${m.runs.length} runs, head ${formatAnchor({ seq: m.audit.headSeq, hash: m.audit.headHash })}`,
      );
      return 0;
    } catch (e) {
      if (!(e instanceof FacetError) || e.code !== 'conflict') throw e;
      out(printable(`REFUSED: ${e.message}`));
      return 1;
    }
  }
  const dir = typeof flags.out === 'string' ? resolve(flags.out) : null;
  if (!caseRef || !dir)
    throw new FacetError('invalid-input', 'usage: facet report <case> [--run <run>] --out <folder>');
  const theCase = await resolveCase(app.router, caseRef);
  const caseId = theCase.id;
  mkdirSync(dir, { recursive: true });
  app.paths.allowFolder(dir, 'write');
  const runId =
    typeof flags.run === 'string' ? (await resolveRun(app.router, caseId, flags.run)).id : undefined;
  const reports = await callOrThrow(app.router, 'reports.create', {
    caseId,
    ...(runId ? { runId } : {}),
    formats: ['pdf', 'html', 'manifest'],
  });
  let anchor = '';
  // Named by case name and date (and run number), so a folder of reports reads like a list of cases.
  const stem = await reportStem(app, theCase.name, runId);
  for (const r of reports) {
    const path = join(dir, `${stem}.${EXT[r.format]}`);
    await callOrThrow(app.router, 'reports.export', { reportId: r.id, path });
    out(`${r.format.padEnd(8)}  ${r.sha256}  ${printable(path)}`);
    if (r.format === 'manifest') anchor = manifestAnchor(path);
  }
  // The head the report was made at: keep it to check the case later (`facet audit verify --anchor`).
  if (anchor) out(`anchor    ${anchor}`);
  return 0;
};

/** `report-<case name>-<YYYY-MM-DD>[-run-<n>]`, the name made safe for any file system. */
async function reportStem(
  app: CliContext['app'],
  caseName: string,
  runId: string | undefined,
): Promise<string> {
  const safe =
    caseName
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[-.]+|-+$/g, '')
      .slice(0, 80) || 'case';
  const date = new Date().toISOString().slice(0, 10);
  if (!runId) return `report-${safe}-${date}`;
  const runs = (await callOrThrow(app.router, 'runs.list', { caseId: app.runs.get(runId).caseId })).reverse();
  return `report-${safe}-${date}-run-${runs.findIndex((r) => r.id === runId) + 1}`;
}
