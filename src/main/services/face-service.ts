import { randomUUID } from 'node:crypto';
import type { Point, RgbImage } from '../../core/image/types';
import type { Comparison, Evidence, Face } from '../../shared/contract';
import { FacetError } from '../../shared/errors';
import type { Db } from '../db/database';
import { decodeToRgb } from '../imaging/decode';
import { encodePng } from '../imaging/encode';
import type { ObjectStore } from '../store/object-store';
import { StagedChange } from './staged-change';
import type { AuditService } from './audit-service';
import type { CaseService } from './case-service';
import type { EvidenceService } from './evidence-service';

interface FaceRow {
  id: string;
  case_id: string;
  evidence_id: string;
  method: Face['method'];
  points: string;
  transform: string;
  crop_sha256: string;
  lr_sha256: string;
  created_at: string;
  created_by: string;
}

const toFace = (r: FaceRow): Face => ({
  id: r.id,
  caseId: r.case_id,
  evidenceId: r.evidence_id,
  method: r.method,
  points: JSON.parse(r.points) as Face['points'],
  transform: JSON.parse(r.transform) as number[],
  cropSha256: r.crop_sha256,
  lrSha256: r.lr_sha256,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

/** What the face pipeline computed for one face: its landmarks, transform, aligned crop (C1) and LR (C2). */
export interface AlignedFace {
  readonly evidenceId: string;
  readonly method: Face['method'];
  readonly points: readonly Point[];
  /** Similarity transform evidence -> canonical frame, [a, b, tx, c, d, ty]. */
  readonly transform: readonly number[];
  /** The aligned 128x128 crop; for method 'lr16' (no crop) the LR itself, stored once. */
  readonly crop: RgbImage;
  /** The 16x16 LR (already quantised to 8 bit by C2, so PNG storage is lossless). */
  readonly lr: RgbImage;
}

/** True when both images have the same size and pixels. */
function sameImage(a: RgbImage, b: RgbImage): boolean {
  if (a === b) return true;
  if (a.width !== b.width || a.height !== b.height || a.data.length !== b.data.length) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}

/** Stores aligned faces (crop + LR as content-addressed PNGs) and comparison scores, each change audited. */
export class FaceService {
  constructor(
    private readonly db: Db,
    private readonly store: ObjectStore,
    private readonly cases: CaseService,
    private readonly evidence: EvidenceService,
    private readonly audit: AuditService,
    private readonly actor: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A case's faces, oldest first. */
  list(caseId: string): Face[] {
    this.cases.get(caseId);
    return (
      this.db
        .prepare('SELECT * FROM faces WHERE case_id = ? ORDER BY created_at, rowid')
        .all(caseId) as FaceRow[]
    ).map(toFace);
  }

  /** One face. */
  get(faceId: string): Face {
    const row = this.db.prepare('SELECT * FROM faces WHERE id = ?').get(faceId) as FaceRow | undefined;
    if (!row) throw new FacetError('not-found', `No face with id ${faceId}.`);
    return toFace(row);
  }

  /** The evidence file a face was aligned from (its role says whether it is a still or a reference photo). */
  evidenceOf(faceId: string): Evidence {
    return this.evidence.get(this.get(faceId).evidenceId);
  }

  /** The stored crop and LR of a face, re-hashed on read; an 'lr16' face has no crop (null). */
  async images(faceId: string): Promise<{ crop: RgbImage | null; lr: RgbImage }> {
    const f = this.get(faceId);
    const lr = await decodeToRgb(this.store.read(f.caseId, f.lrSha256), 'LR');
    if (f.method === 'lr16') return { crop: null, lr };
    return { crop: await decodeToRgb(this.store.read(f.caseId, f.cropSha256), 'crop'), lr };
  }

  /** Stores a face the pipeline aligned: crop and LR files, the row and its audit event, all or nothing. */
  async storeAligned(input: AlignedFace): Promise<Face> {
    const ev = this.evidence.get(input.evidenceId);
    this.cases.requireOpen(ev.caseId);
    if (input.lr.width !== 16 || input.lr.height !== 16) {
      throw new FacetError('invalid-input', `An LR face is 16x16, not ${input.lr.width}x${input.lr.height}.`);
    }
    const lr16 = input.method === 'lr16';
    if (lr16 && !sameImage(input.crop, input.lr)) {
      throw new FacetError('invalid-input', "A face of method 'lr16' has no crop: its crop must be its LR.");
    }
    if (!lr16 && (input.crop.width !== 128 || input.crop.height !== 128)) {
      throw new FacetError(
        'invalid-input',
        `An aligned crop is 128x128, not ${input.crop.width}x${input.crop.height}.`,
      );
    }
    if (input.transform.length !== 6 || !input.transform.every(Number.isFinite)) {
      throw new FacetError('invalid-input', 'A face transform is six finite numbers.');
    }
    // Staged: files of a change killed before its rows commit are collected by the next writing process.
    const change = new StagedChange(this.db, this.store);
    let crop: { sha256: string };
    let lr: { sha256: string };
    try {
      crop = change.stage(ev.caseId, await encodePng(input.crop));
      // An 'lr16' face's crop is its LR: one file, named by both hashes.
      lr = lr16 ? crop : change.stage(ev.caseId, await encodePng(input.lr));
    } catch (err) {
      change.abandon();
      throw err;
    }
    const row: FaceRow = {
      id: randomUUID(),
      case_id: ev.caseId,
      evidence_id: ev.id,
      method: input.method,
      points: JSON.stringify(input.points.map((p) => ({ x: p.x, y: p.y }))),
      transform: JSON.stringify([...input.transform]),
      crop_sha256: crop.sha256,
      lr_sha256: lr.sha256,
      created_at: this.now().toISOString(),
      created_by: this.actor,
    };
    change.commit(() => {
      this.db
        .prepare(
          `INSERT INTO faces (id, case_id, evidence_id, method, points, transform, crop_sha256, lr_sha256, created_at, created_by)
             VALUES (@id, @case_id, @evidence_id, @method, @points, @transform, @crop_sha256, @lr_sha256, @created_at, @created_by)`,
        )
        .run(row);
      this.audit.append({
        caseId: ev.caseId,
        actor: this.actor,
        action: 'face.aligned',
        subject: row.id,
        time: row.created_at,
        payload: {
          evidenceId: ev.id,
          evidenceSha256: ev.sha256,
          method: row.method,
          points: JSON.parse(row.points) as Array<{ x: number; y: number }>,
          transform: [...input.transform],
          cropSha256: crop.sha256,
          lrSha256: lr.sha256,
        },
      });
    });
    return toFace(row);
  }

  /** Records an embedder comparison of an SR output (or a probe) with a reference photo. */
  recordComparison(input: {
    caseId: string;
    outputId?: string | null;
    probeEvidenceId?: string | null;
    referenceEvidenceId: string;
    embedderId: string;
    embedderSha256: string;
    score: number;
    calibrationPercentile: number | null;
    calibration: Record<string, string | number | boolean | null>;
  }): Comparison {
    this.cases.requireOpen(input.caseId);
    const ref = this.evidence.get(input.referenceEvidenceId);
    if (ref.caseId !== input.caseId || ref.role !== 'reference') {
      throw new FacetError('invalid-input', 'The reference must be a reference photo of the same case.');
    }
    if (!Number.isFinite(input.score))
      throw new FacetError('invalid-input', 'A comparison score must be finite.');
    const c: Comparison = {
      id: randomUUID(),
      caseId: input.caseId,
      outputId: input.outputId ?? null,
      probeEvidenceId: input.probeEvidenceId ?? null,
      referenceEvidenceId: ref.id,
      embedderId: input.embedderId,
      embedderSha256: input.embedderSha256,
      score: input.score,
      calibrationPercentile: input.calibrationPercentile,
      calibration: input.calibration,
      createdAt: this.now().toISOString(),
    };
    this.db
      .transaction(() => {
        this.db
          .prepare(
            `INSERT INTO comparisons (id, case_id, output_id, probe_evidence_id, reference_evidence_id, embedder_id, embedder_sha256,
             score, calibration_percentile, calibration, created_at, created_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            c.id,
            c.caseId,
            c.outputId,
            c.probeEvidenceId,
            c.referenceEvidenceId,
            c.embedderId,
            c.embedderSha256,
            c.score,
            c.calibrationPercentile,
            JSON.stringify(c.calibration),
            c.createdAt,
            this.actor,
          );
        this.audit.append({
          caseId: c.caseId,
          actor: this.actor,
          action: 'comparison.recorded',
          subject: c.id,
          time: c.createdAt,
          payload: {
            outputId: c.outputId,
            probeEvidenceId: c.probeEvidenceId,
            referenceEvidenceId: c.referenceEvidenceId,
            embedderId: c.embedderId,
            embedderSha256: c.embedderSha256,
            score: c.score,
            calibrationPercentile: c.calibrationPercentile,
            calibration: input.calibration,
            // A comparison with its own source is carried only flagged, loudly, in the chain too.
            ...(typeof input.calibration.sameSource === 'string'
              ? { sameSource: input.calibration.sameSource }
              : {}),
          },
        });
      })
      .immediate();
    return c;
  }

  /** A case's comparisons, oldest first. */
  listComparisons(caseId: string): Comparison[] {
    this.cases.get(caseId);
    const rows = this.db
      .prepare('SELECT * FROM comparisons WHERE case_id = ? ORDER BY created_at, rowid')
      .all(caseId) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      id: r.id as string,
      caseId: r.case_id as string,
      outputId: (r.output_id as string | null) ?? null,
      probeEvidenceId: (r.probe_evidence_id as string | null) ?? null,
      referenceEvidenceId: r.reference_evidence_id as string,
      embedderId: r.embedder_id as string,
      embedderSha256: r.embedder_sha256 as string,
      score: r.score as number,
      calibrationPercentile: (r.calibration_percentile as number | null) ?? null,
      calibration: JSON.parse(r.calibration as string) as Record<string, unknown>,
      createdAt: r.created_at as string,
    }));
  }
}
