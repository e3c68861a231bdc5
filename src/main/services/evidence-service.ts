import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { Evidence, EvidenceRole } from '../../shared/contract';
import { FacetError } from '../../shared/errors';
import type { Db } from '../db/database';
import { MAX_IMAGE_PIXELS, probeImage } from '../imaging/decode';
import { MAX_IMAGE_BYTES, readRegularFile } from '../imaging/read-file';
import type { ObjectStore } from '../store/object-store';
import type { AuditService } from './audit-service';
import type { CaseService } from './case-service';
import { sha256Hex } from '../crypto';
import type { PathPolicy } from './import-policy';

interface EvidenceRow {
  id: string;
  case_id: string;
  role: EvidenceRole;
  sha256: string;
  original_name: string;
  size_bytes: number;
  media_type: string;
  width: number;
  height: number;
  imported_at: string;
  imported_by: string;
}

const toEvidence = (r: EvidenceRow): Evidence => ({
  id: r.id,
  caseId: r.case_id,
  role: r.role,
  sha256: r.sha256,
  originalName: r.original_name,
  sizeBytes: r.size_bytes,
  mediaType: r.media_type,
  width: r.width,
  height: r.height,
  importedAt: r.imported_at,
  importedBy: r.imported_by,
});

/** Limits on what is accepted as evidence. */
export interface EvidenceLimits {
  readonly maxBytes: number;
  readonly maxPixels: number;
}

/** Default limits: the app's one file size and pixel limit for stills. */
export const DEFAULT_LIMITS: EvidenceLimits = { maxBytes: MAX_IMAGE_BYTES, maxPixels: MAX_IMAGE_PIXELS };

/** Imports evidence images into a case's content-addressed store and lists them; originals are never altered. */
export class EvidenceService {
  constructor(
    private readonly db: Db,
    private readonly store: ObjectStore,
    private readonly cases: CaseService,
    private readonly audit: AuditService,
    private readonly policy: PathPolicy,
    private readonly actor: string,
    private readonly now: () => Date = () => new Date(),
    private readonly limits: EvidenceLimits = DEFAULT_LIMITS,
  ) {}

  /** A case's evidence, in import order. */
  list(caseId: string): Evidence[] {
    this.cases.get(caseId);
    const rows = this.db
      .prepare('SELECT * FROM evidence WHERE case_id = ? ORDER BY imported_at, rowid')
      .all(caseId) as EvidenceRow[];
    return rows.map(toEvidence);
  }

  /** One evidence row. */
  get(evidenceId: string): Evidence {
    const row = this.db.prepare('SELECT * FROM evidence WHERE id = ?').get(evidenceId) as
      EvidenceRow | undefined;
    if (!row) throw new FacetError('not-found', `No evidence with id ${evidenceId}.`);
    return toEvidence(row);
  }

  /** Opens an evidence file's bytes, re-hashing them (an altered file is refused). */
  open(evidenceId: string): Buffer {
    const e = this.get(evidenceId);
    return this.store.read(e.caseId, e.sha256);
  }

  /**
   * Imports a file the user chose: it must be a regular file within the size limit that decodes fully as an
   * image within the pixel limit. The same bytes imported twice give the existing row (`duplicate: true`).
   * Either the file is stored and its row and audit event are written, or nothing is.
   */
  async import(input: {
    caseId: string;
    path: string;
    role: EvidenceRole;
  }): Promise<{ evidence: Evidence; duplicate: boolean }> {
    this.cases.requireOpen(input.caseId);
    const real = this.policy.checkRead(input.path);
    const bytes = readRegularFile(real, this.limits.maxBytes, 'evidence files');
    const info = await probeImage(bytes, real, this.limits.maxPixels);
    const sha256 = sha256Hex(bytes);

    const existing = this.db
      .prepare('SELECT * FROM evidence WHERE case_id = ? AND sha256 = ?')
      .get(input.caseId, sha256) as EvidenceRow | undefined;
    if (existing) return { evidence: toEvidence(existing), duplicate: true };

    // The file is staged first (with an intent a restart undoes), then row and event commit together while holding
    // the write lock: a process killed at any point leaves the whole evidence with its event, or nothing.
    const staged = this.store.stage(input.caseId, bytes);
    const row: EvidenceRow = {
      id: randomUUID(),
      case_id: input.caseId,
      role: input.role,
      sha256,
      original_name: basename(input.path),
      size_bytes: bytes.length,
      media_type: info.mediaType,
      width: info.width,
      height: info.height,
      imported_at: this.now().toISOString(),
      imported_by: this.actor,
    };
    try {
      this.db
        .transaction(() => {
          staged.ensure();
          this.db
            .prepare(
              `INSERT INTO evidence (id, case_id, role, sha256, original_name, size_bytes, media_type, width, height, imported_at, imported_by)
             VALUES (@id, @case_id, @role, @sha256, @original_name, @size_bytes, @media_type, @width, @height, @imported_at, @imported_by)`,
            )
            .run(row);
          this.audit.append({
            caseId: input.caseId,
            actor: this.actor,
            action: 'evidence.imported',
            subject: row.id,
            time: row.imported_at,
            payload: {
              sha256,
              role: row.role,
              originalName: row.original_name,
              sourcePath: real,
              sizeBytes: row.size_bytes,
              mediaType: row.media_type,
              width: row.width,
              height: row.height,
            },
          });
        })
        .immediate();
    } catch (err) {
      // A concurrent import of the same bytes won the race: that row is the evidence.
      const raced = this.db
        .prepare('SELECT * FROM evidence WHERE case_id = ? AND sha256 = ?')
        .get(input.caseId, sha256) as EvidenceRow | undefined;
      if (!raced && staged.created) this.store.discard(input.caseId, sha256);
      staged.settle();
      if (raced) return { evidence: toEvidence(raced), duplicate: true };
      // The file fitted but the database could not grow: as clear as a full disk at the file write.
      if ((err as { code?: string }).code === 'SQLITE_FULL') {
        throw new FacetError(
          'io',
          'Not enough disk space to record the evidence in the case database. Nothing was stored.',
        );
      }
      throw err;
    }
    staged.settle();
    return { evidence: toEvidence(row), duplicate: false };
  }
}
