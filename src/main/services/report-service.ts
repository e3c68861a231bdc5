import { randomUUID } from 'node:crypto';
import { SR_CAVEAT, METHOD_CITATION, type Report } from '../../shared/contract';
import { FacetError } from '../../shared/errors';
import { faceNumbers } from '../../shared/labels';
import { sha256Hex } from '../crypto';
import type { Db } from '../db/database';
import type { ModelProvenance } from '../inference/provenance';
import { renderHtmlReport } from '../reports/html-report';
import { HOW_TO_VERIFY, MANIFEST_FORMAT, type ReportManifest } from '../reports/manifest';
import { renderPdfReport } from '../reports/pdf-report';
import { evidencePreviews } from '../reports/previews';
import type { ObjectStore } from '../store/object-store';
import { describeLocation, type AuditService } from './audit-service';
import type { CaseService } from './case-service';
import type { EvidenceService } from './evidence-service';
import type { FaceService } from './face-service';
import type { PathPolicy } from './import-policy';
import { publishAudited } from './published-file';
import type { RunService } from './run-service';
import { StagedChange } from './staged-change';

export type { ModelProvenance } from '../inference/provenance';

interface ReportRow {
  id: string;
  case_id: string;
  run_id: string | null;
  format: Report['format'];
  sha256: string;
  size_bytes: number;
  created_at: string;
}

const toReport = (r: ReportRow): Report => ({
  id: r.id,
  caseId: r.case_id,
  runId: r.run_id,
  format: r.format,
  sha256: r.sha256,
  sizeBytes: r.size_bytes,
  createdAt: r.created_at,
});

/** Builds case/run reports (manifest JSON, self-contained HTML, PDF), stores them by hash and audits them. */
export class ReportService {
  constructor(
    private readonly db: Db,
    private readonly store: ObjectStore,
    private readonly cases: CaseService,
    private readonly evidence: EvidenceService,
    private readonly faces: FaceService,
    private readonly runs: RunService,
    private readonly audit: AuditService,
    private readonly policy: PathPolicy,
    private readonly actor: string,
    private readonly appVersion: string,
    private readonly provenance: ModelProvenance = () => null,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A case's reports, oldest first. */
  list(caseId: string): Report[] {
    this.cases.get(caseId);
    return (
      this.db
        .prepare('SELECT * FROM reports WHERE case_id = ? ORDER BY created_at, rowid')
        .all(caseId) as ReportRow[]
    ).map(toReport);
  }

  /** The stored bytes of a report, re-hashed. */
  bytes(reportId: string): { report: Report; bytes: Buffer } {
    const row = this.db.prepare('SELECT * FROM reports WHERE id = ?').get(reportId) as ReportRow | undefined;
    if (!row) throw new FacetError('not-found', `No report with id ${reportId}.`);
    return { report: toReport(row), bytes: this.store.read(row.case_id, row.sha256) };
  }

  /**
   * The manifest of a case (or one run of it), built from the stored rows and files, only once the case verifies:
   * every row it shows then agrees with the audit chain. A case that does not verify is refused with its first
   * broken link. Writes nothing (`facet report --check` builds it read-only).
   */
  async manifest(caseId: string, runId?: string): Promise<ReportManifest> {
    const c = this.cases.get(caseId);
    const verification = this.audit.verify(caseId, this.store);
    if (!verification.ok) {
      throw new FacetError(
        'conflict',
        `Case ${caseId} does not verify, so no report is made. First broken link: ${describeLocation(verification.location)}: ${verification.reason}`,
      );
    }
    let runs = this.runs.list(caseId).reverse();
    const numbers = new Map(runs.map((r, i) => [r.id, i + 1]));
    if (runId) {
      runs = runs.filter((r) => r.id === runId);
      if (runs.length === 0) throw new FacetError('not-found', `No run ${runId} in case ${caseId}.`);
    }
    const faceIds = new Set(runs.map((r) => r.faceId));
    const allFaces = this.faces.list(caseId);
    // Numbered among all of the case's faces, so a one-run report names its face as the app does.
    const faceNumber = faceNumbers(allFaces);
    const faces = allFaces.filter((f) => !runId || faceIds.has(f.id));
    const events = this.audit.list(caseId, 0, 100_000);
    const head = this.audit.head(caseId);
    const sig = head ? this.audit.signatureOf(caseId, head.seq) : null;
    const b64 = (sha: string): string => this.store.read(caseId, sha).toString('base64');
    return {
      format: MANIFEST_FORMAT,
      generatedAt: this.now().toISOString(),
      generator: { app: 'facet-sr', version: this.appVersion },
      examiner: { name: this.audit.currentExaminer(), osAccount: this.actor },
      caveat: SR_CAVEAT,
      citation: METHOD_CITATION,
      scope: { caseId, runId: runId ?? null },
      case: { id: c.id, name: c.name, status: c.status, createdAt: c.createdAt },
      evidence: this.evidence.list(caseId),
      faces: faces.map((f) => ({
        ...f,
        number: faceNumber.get(f.id),
        cropPng: b64(f.cropSha256),
        lrPng: b64(f.lrSha256),
      })),
      runs: runs.map((r) => ({
        id: r.id,
        number: numbers.get(r.id),
        faceId: r.faceId,
        rerunOf: r.rerunOf,
        status: r.status,
        device: r.device,
        settings: r.settings,
        seed: r.seed,
        record: r.record,
        model: r.record ? { ...r.record.model, provenance: this.provenance(r.record.model) } : null,
        queuedAt: r.queuedAt,
        startedAt: r.startedAt,
        finishedAt: r.finishedAt,
        outputs: r.outputs.map((o) => ({ ...o, png: b64(o.sha256) })),
      })),
      comparisons: this.faces.listComparisons(caseId),
      audit: {
        verification,
        events: events.length,
        headSeq: head?.seq ?? 0,
        headHash: head?.hash ?? '',
        headSignature:
          sig && sig.hash === head?.hash
            ? { publicKey: sig.publicKey, keyFingerprint: sig.keyFingerprint, signature: sig.signature }
            : null,
        chain: events,
        excerpt: runId
          ? events.filter(
              (e) => e.subject === runId || e.action.startsWith('case.') || faceIds.has(e.subject),
            )
          : events.slice(-60),
      },
      howToVerify: [...HOW_TO_VERIFY],
    };
  }

  /** Creates the requested report formats for a case or a run and stores each with its audit event. */
  async create(input: {
    caseId: string;
    runId?: string;
    formats: ReadonlyArray<Report['format']>;
  }): Promise<Report[]> {
    const m = await this.manifest(input.caseId, input.runId);
    const manifestBytes = Buffer.from(`${JSON.stringify(m, null, 2)}\n`, 'utf8');
    const files: Array<{ format: Report['format']; bytes: Buffer }> = [];
    // The manifest is always stored: the HTML and PDF cite its hash.
    const manifestSha = sha256Hex(manifestBytes);
    files.push({ format: 'manifest', bytes: manifestBytes });
    // The PDF and HTML show each evidence original as a preview read from the store (the manifest has no originals).
    const wantsPages = input.formats.includes('html') || input.formats.includes('pdf');
    const previews = wantsPages
      ? await evidencePreviews(m, (sha) => this.store.read(input.caseId, sha))
      : undefined;
    if (input.formats.includes('html'))
      files.push({
        format: 'html',
        bytes: Buffer.from(renderHtmlReport(m, manifestSha, { previews }), 'utf8'),
      });
    if (input.formats.includes('pdf'))
      files.push({ format: 'pdf', bytes: Buffer.from(await renderPdfReport(m, manifestSha, { previews })) });
    const rows: ReportRow[] = [];
    const change = new StagedChange(this.db, this.store);
    for (const f of files) {
      let put;
      try {
        put = change.stage(input.caseId, f.bytes);
      } catch (err) {
        change.abandon();
        throw err;
      }
      rows.push({
        id: randomUUID(),
        case_id: input.caseId,
        run_id: input.runId ?? null,
        format: f.format,
        sha256: put.sha256,
        size_bytes: f.bytes.length,
        created_at: this.now().toISOString(),
      });
    }
    change.commit(() => {
      for (const r of rows) {
        this.db
          .prepare(
            `INSERT INTO reports (id, case_id, run_id, format, sha256, size_bytes, created_at, created_by)
             VALUES (@id, @case_id, @run_id, @format, @sha256, @size_bytes, @created_at, @created_by)`,
          )
          .run({ ...r, created_by: this.actor });
        this.audit.append({
          caseId: input.caseId,
          actor: this.actor,
          action: 'report.created',
          subject: r.id,
          time: r.created_at,
          payload: {
            format: r.format,
            sha256: r.sha256,
            runId: r.run_id,
            sizeBytes: r.size_bytes,
            manifestSha256: manifestSha,
          },
        });
      }
    });
    return rows.map(toReport);
  }

  /** Writes a stored report to a path the user chose (never over an existing file). */
  exportTo(reportId: string, path: string): { path: string; sha256: string } {
    const target = this.policy.checkWrite(path);
    const { report, bytes } = this.bytes(reportId);
    publishAudited({
      db: this.db,
      pendingDir: this.store.pendingDir(),
      caseId: report.caseId,
      target,
      bytes,
      record: () =>
        this.audit.append({
          caseId: report.caseId,
          actor: this.actor,
          action: 'report.exported',
          subject: report.id,
          payload: { path: target, sha256: report.sha256 },
        }),
    });
    return { path: target, sha256: report.sha256 };
  }
}
