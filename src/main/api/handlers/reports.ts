import { FacetError } from '../../../shared/errors';
import { hashFolders } from '../../reports/evidence-folders';
import { readRegularFile } from '../../imaging/read-file';
import { verifyManifest, type ManifestContext } from '../../reports/verify-manifest';
import type { AuditService } from '../../services/audit-service';
import type { ObjectStore } from '../../store/object-store';
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
  audit: AuditService,
  store: ObjectStore,
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
      // Today's case on this workstation (read from the database as it is), its stored files, and the folders given.
      const ctx: ManifestContext = {
        caseToday: (caseId) => {
          if (!audit.head(caseId) && audit.all(caseId).length === 0) return null;
          return {
            events: audit.all(caseId),
            verification: audit.verify(caseId, store),
            anchor: (a) => audit.checkAnchor(caseId, a),
          };
        },
        storedFile: (caseId, sha) => (store.has(caseId, sha) ? store.check(caseId, sha) : 'missing'),
        evidenceFiles: hashFolders((input.evidenceDirs ?? []).map((d) => policy.checkRead(d))),
        localKeys: audit.localKeys().map((k) => k.fingerprint),
      };
      return verifyManifest(json, executor, ctx);
    },
    'cases.export': (input) => archive.export(input.caseId, input.path),
    'cases.import': (input) => archive.import(input.path),
  };
}
