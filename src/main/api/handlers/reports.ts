import { FacetError } from '../../../shared/errors';
import { readRegularFile } from '../../imaging/read-file';
import { verifyManifest } from '../../reports/verify-manifest';
import type { CaseArchiveService } from '../../services/case-archive-service';
import type { PathPolicy } from '../../services/import-policy';
import type { ReportService } from '../../services/report-service';
import type { RunExecutor } from '../../inference/run-executor';
import type { Handlers } from '../router';

/** Largest report manifest `verify` reads (a manifest of thousands of runs is a few MB). */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** The contract's report, manifest verification and case archive calls. */
export function reportHandlers(
  reports: ReportService,
  archive: CaseArchiveService,
  policy: PathPolicy,
  executor: RunExecutor | null,
): Pick<
  Handlers,
  | 'reports.list'
  | 'reports.create'
  | 'reports.export'
  | 'reports.verifyManifest'
  | 'cases.export'
  | 'cases.import'
> {
  return {
    'reports.list': (input) => reports.list(input.caseId),
    'reports.create': (input) => reports.create(input),
    'reports.export': (input) => reports.exportTo(input.reportId, input.path),
    'reports.verifyManifest': async (input) => {
      if (!executor)
        throw new FacetError('conflict', 'No sampling engine is available to re-run the manifest.');
      // Checked on the open file before any byte is read: a FIFO or a device (/dev/zero) is refused at once.
      const text = readRegularFile(
        policy.checkRead(input.path),
        MAX_MANIFEST_BYTES,
        'report manifests',
      ).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new FacetError('invalid-input', `${input.path} is not JSON.`);
      }
      return verifyManifest(json, executor);
    },
    'cases.export': (input) => archive.export(input.caseId, input.path),
    'cases.import': (input) => archive.import(input.path),
  };
}
