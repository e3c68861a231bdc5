/**
 * Which audit event vouches for each column of each case table (C6), and the replay that derives, from a case's
 * verified chain, what every row must hold. The verifier compares the stored rows with this replay column by
 * column; docs/specs/c6-audit.md carries the same table, and a test walks the live schema against it.
 */
import type { AuditEventValue } from './audit-chain';
import type { JsonValue } from './canonical-json';

/**
 * The audit format new cases are created with (recorded in `case.created`): from format 2 on, every row's time
 * column is its event's time and `run.done` lists each output's id and size, so those columns are checked too.
 */
export const AUDIT_FORMAT = 2;

/** The tables whose rows belong to one case, in the order the verifier checks them. */
export const CASE_TABLES = [
  'cases',
  'evidence',
  'faces',
  'runs',
  'outputs',
  'comparisons',
  'reports',
] as const;
export type CaseTable = (typeof CASE_TABLES)[number];

/** The rows of one case in each table, in insertion order (`?` is the case id). */
export const CASE_ROWS: Record<CaseTable, string> = {
  cases: 'SELECT * FROM cases WHERE id = ?',
  evidence: 'SELECT * FROM evidence WHERE case_id = ? ORDER BY rowid',
  faces: 'SELECT * FROM faces WHERE case_id = ? ORDER BY rowid',
  runs: 'SELECT * FROM runs WHERE case_id = ? ORDER BY rowid',
  outputs: 'SELECT o.* FROM outputs o JOIN runs r ON r.id = o.run_id WHERE r.case_id = ? ORDER BY o.rowid',
  comparisons: 'SELECT * FROM comparisons WHERE case_id = ? ORDER BY rowid',
  reports: 'SELECT * FROM reports WHERE case_id = ? ORDER BY rowid',
};

/** How a column is vouched for: by an event (`by` says which, for people), or exempt with the reason. */
export type ColumnRule =
  { readonly by: string; readonly json?: true; readonly since?: number } | { readonly exempt: string };

const CHAIN = "the case's chain (every event hashes its caseId)";
const SUBJECT = "the event's subject";
const CHAIN_ITSELF = { exempt: 'the chain itself: hash-linked, each hash recomputed' } as const;

/** Every column of every table in the schema, covered or exempt. */
export const COVERAGE: Record<string, Record<string, ColumnRule>> = {
  cases: {
    id: { by: `case.created: ${CHAIN}` },
    name: { by: 'case.created .name; case.renamed .to' },
    created_at: { by: 'case.created time', since: 2 },
    status: { by: 'case.created (open), case.closed, case.reopened' },
    updated_at: { by: 'time of the last case.renamed, case.closed or case.reopened', since: 2 },
    closed_at: { by: 'case.closed time; null after case.reopened', since: 2 },
  },
  evidence: {
    id: { by: `evidence.imported: ${SUBJECT}` },
    case_id: { by: CHAIN },
    role: { by: 'evidence.imported .role' },
    sha256: { by: 'evidence.imported .sha256' },
    original_name: { by: 'evidence.imported .originalName' },
    size_bytes: { by: 'evidence.imported .sizeBytes' },
    media_type: { by: 'evidence.imported .mediaType' },
    width: { by: 'evidence.imported .width' },
    height: { by: 'evidence.imported .height' },
    imported_at: { by: 'evidence.imported time', since: 2 },
    imported_by: { by: 'evidence.imported actor' },
  },
  faces: {
    id: { by: `face.aligned: ${SUBJECT}` },
    case_id: { by: CHAIN },
    evidence_id: { by: 'face.aligned .evidenceId' },
    method: { by: 'face.aligned .method' },
    points: { by: 'face.aligned .points', json: true },
    transform: { by: 'face.aligned .transform', json: true },
    crop_sha256: { by: 'face.aligned .cropSha256' },
    lr_sha256: { by: 'face.aligned .lrSha256' },
    created_at: { by: 'face.aligned time', since: 2 },
    created_by: { by: 'face.aligned actor' },
  },
  runs: {
    id: { by: `run.queued / run.requeued: ${SUBJECT}` },
    case_id: { by: CHAIN },
    face_id: { by: 'run.queued .faceId' },
    rerun_of: { by: 'run.queued .rerunOf' },
    device: { by: 'run.queued .settings.provider' },
    settings: { by: 'run.queued .settings', json: true },
    seed: { by: 'run.queued .settings.seed' },
    record: { by: 'run.done .record; null before', json: true },
    status: { by: 'the last run.* event of the run' },
    progress_step: {
      exempt:
        'live progress of a running run, written about once a second without an event; no report or export view shows it',
    },
    progress_total: { exempt: 'as progress_step' },
    error: { by: 'run.failed .error; null otherwise' },
    queued_at: { by: 'run.queued time', since: 2 },
    started_at: { by: 'run.started time', since: 2 },
    finished_at: { by: 'time of run.done, run.failed, run.cancelled or run.interrupted', since: 2 },
    created_by: { by: 'run.queued actor' },
  },
  outputs: {
    id: { by: 'run.done .outputs[].id', since: 2 },
    run_id: { by: `run.done: ${SUBJECT}` },
    kind: { by: 'run.done .outputs[].kind' },
    idx: { by: 'run.done .outputs[].index' },
    sha256: { by: 'run.done .outputs[].sha256' },
    pixels_sha256: { by: 'run.done .outputs[].pixelsSha256' },
    width: { by: 'run.done .outputs[].width', since: 2 },
    height: { by: 'run.done .outputs[].height', since: 2 },
    metrics: { by: 'run.done .outputs[].metrics', json: true },
  },
  comparisons: {
    id: { by: `comparison.recorded: ${SUBJECT}` },
    case_id: { by: CHAIN },
    output_id: { by: 'comparison.recorded .outputId' },
    probe_evidence_id: { by: 'comparison.recorded .probeEvidenceId' },
    reference_evidence_id: { by: 'comparison.recorded .referenceEvidenceId' },
    embedder_id: { by: 'comparison.recorded .embedderId' },
    embedder_sha256: { by: 'comparison.recorded .embedderSha256' },
    score: { by: 'comparison.recorded .score' },
    calibration_percentile: { by: 'comparison.recorded .calibrationPercentile' },
    calibration: { by: 'comparison.recorded .calibration', json: true },
    created_at: { by: 'comparison.recorded time', since: 2 },
    created_by: { by: 'comparison.recorded actor' },
  },
  reports: {
    id: { by: `report.created: ${SUBJECT}` },
    case_id: { by: CHAIN },
    run_id: { by: 'report.created .runId' },
    format: { by: 'report.created .format' },
    sha256: { by: 'report.created .sha256' },
    size_bytes: { by: 'report.created .sizeBytes' },
    created_at: { by: 'report.created time', since: 2 },
    created_by: { by: 'report.created actor' },
  },
  audit_events: Object.fromEntries(
    ['case_id', 'seq', 'time', 'actor', 'action', 'subject', 'payload', 'prev_hash', 'hash', 'examiner'].map(
      (c) => [c, CHAIN_ITSELF],
    ),
  ),
  audit_heads: {
    case_id: { exempt: 'the head of the chain: compared with the last event' },
    seq: { exempt: 'the head of the chain: compared with the last event' },
    hash: { exempt: 'the head of the chain: compared with the last event' },
  },
  audit_signatures: Object.fromEntries(
    ['case_id', 'seq', 'hash', 'public_key', 'key_fingerprint', 'signature'].map((c) => [
      c,
      { exempt: 'the signed heads: each checked against its event and its Ed25519 key' },
    ]),
  ),
};

/** One expected cell: its value and the event that set it. */
export interface ExpectedCell {
  readonly value: JsonValue;
  readonly seq: number;
  readonly action: string;
}
export type ExpectedRow = Record<string, ExpectedCell>;

/** What a case's chain says its rows hold. Rows are keyed by id (outputs of format 1: `runId/kind/index`). */
export interface Replayed {
  readonly format: number;
  readonly rows: Record<CaseTable, Map<string, ExpectedRow>>;
  /** An event that cannot apply (it changes a row no earlier event created, or its payload is malformed). */
  readonly problem: { seq: number; reason: string } | null;
}

type Payload = Record<string, JsonValue>;

/** The key of an output row: its id (format 2), or run, kind and index (format 1 events carry no id). */
export function outputKey(
  format: number,
  o: { id: JsonValue; runId: JsonValue; kind: JsonValue; index: JsonValue },
): string {
  return format >= 2 ? String(o.id) : `${String(o.runId)}/${String(o.kind)}/${String(o.index)}`;
}

/** Replays a case's events (already chain-verified, in order) into the rows they imply. */
export function replayCase(events: readonly AuditEventValue[]): Replayed {
  const rows = Object.fromEntries(
    CASE_TABLES.map((t) => [t, new Map<string, ExpectedRow>()]),
  ) as Replayed['rows'];
  let format = 1;
  const put = (
    table: CaseTable,
    key: string,
    e: AuditEventValue,
    values: Payload,
    update: boolean,
  ): boolean => {
    const row = rows[table].get(key);
    if (update && !row) return false;
    const next: ExpectedRow = { ...(update ? row : {}) };
    for (const [k, v] of Object.entries(values)) next[k] = { value: v, seq: e.seq, action: e.action };
    rows[table].set(key, next);
    return true;
  };
  for (const e of events) {
    const p = (
      e.payload && typeof e.payload === 'object' && !Array.isArray(e.payload) ? e.payload : {}
    ) as Payload;
    const who = { created_at: e.time, created_by: e.actor };
    const own = { id: e.subject, case_id: e.caseId };
    let applied = true;
    switch (e.action) {
      case 'case.created':
        format = typeof p.auditFormat === 'number' ? p.auditFormat : 1;
        put(
          'cases',
          e.caseId,
          e,
          {
            id: e.caseId,
            name: p.name ?? null,
            created_at: e.time,
            status: 'open',
            updated_at: null,
            closed_at: null,
          },
          false,
        );
        break;
      case 'case.renamed':
        applied = put('cases', e.caseId, e, { name: p.to ?? null, updated_at: e.time }, true);
        break;
      case 'case.closed':
        applied = put(
          'cases',
          e.caseId,
          e,
          { status: 'closed', closed_at: e.time, updated_at: e.time },
          true,
        );
        break;
      case 'case.reopened':
        applied = put('cases', e.caseId, e, { status: 'open', closed_at: null, updated_at: e.time }, true);
        break;
      case 'evidence.imported':
        put(
          'evidence',
          e.subject,
          e,
          {
            ...own,
            role: p.role ?? null,
            sha256: p.sha256 ?? null,
            original_name: p.originalName ?? null,
            size_bytes: p.sizeBytes ?? null,
            media_type: p.mediaType ?? null,
            width: p.width ?? null,
            height: p.height ?? null,
            imported_at: e.time,
            imported_by: e.actor,
          },
          false,
        );
        break;
      case 'face.aligned':
        put(
          'faces',
          e.subject,
          e,
          {
            ...own,
            ...who,
            evidence_id: p.evidenceId ?? null,
            method: p.method ?? null,
            points: p.points ?? null,
            transform: p.transform ?? null,
            crop_sha256: p.cropSha256 ?? null,
            lr_sha256: p.lrSha256 ?? null,
          },
          false,
        );
        break;
      case 'run.queued':
      case 'run.requeued': {
        const s = (p.settings && typeof p.settings === 'object' ? p.settings : {}) as Payload;
        put(
          'runs',
          e.subject,
          e,
          {
            ...own,
            face_id: p.faceId ?? null,
            rerun_of: p.rerunOf ?? null,
            device: s.provider ?? null,
            settings: p.settings ?? null,
            seed: s.seed ?? null,
            record: null,
            status: 'queued',
            error: null,
            queued_at: e.time,
            started_at: null,
            finished_at: null,
            created_by: e.actor,
          },
          false,
        );
        break;
      }
      case 'run.started':
        applied = put('runs', e.subject, e, { status: 'running', started_at: e.time }, true);
        break;
      case 'run.done':
        applied = put(
          'runs',
          e.subject,
          e,
          { status: 'done', record: p.record ?? null, finished_at: e.time },
          true,
        );
        for (const o of Array.isArray(p.outputs) ? (p.outputs as Payload[]) : []) {
          const key = outputKey(format, {
            id: o.id ?? null,
            runId: e.subject,
            kind: o.kind ?? null,
            index: o.index ?? null,
          });
          put(
            'outputs',
            key,
            e,
            {
              id: o.id ?? null,
              run_id: e.subject,
              kind: o.kind ?? null,
              idx: o.index ?? null,
              sha256: o.sha256 ?? null,
              pixels_sha256: o.pixelsSha256 ?? null,
              width: o.width ?? null,
              height: o.height ?? null,
              metrics: o.metrics ?? {},
            },
            false,
          );
        }
        break;
      case 'run.failed':
        applied = put(
          'runs',
          e.subject,
          e,
          { status: 'failed', error: p.error ?? null, finished_at: e.time },
          true,
        );
        break;
      case 'run.cancelled':
      case 'run.interrupted':
        applied = put(
          'runs',
          e.subject,
          e,
          { status: e.action.slice(4), error: null, finished_at: e.time },
          true,
        );
        break;
      case 'comparison.recorded':
        put(
          'comparisons',
          e.subject,
          e,
          {
            ...own,
            ...who,
            output_id: p.outputId ?? null,
            probe_evidence_id: p.probeEvidenceId ?? null,
            reference_evidence_id: p.referenceEvidenceId ?? null,
            embedder_id: p.embedderId ?? null,
            embedder_sha256: p.embedderSha256 ?? null,
            score: p.score ?? null,
            calibration_percentile: p.calibrationPercentile ?? null,
            calibration: p.calibration ?? {},
          },
          false,
        );
        break;
      case 'report.created':
        put(
          'reports',
          e.subject,
          e,
          {
            ...own,
            ...who,
            run_id: p.runId ?? null,
            format: p.format ?? null,
            sha256: p.sha256 ?? null,
            size_bytes: p.sizeBytes ?? null,
          },
          false,
        );
        break;
      default:
        // report.exported, case.exported, case.imported: they change no row.
        break;
    }
    if (!applied) {
      return {
        format,
        rows,
        problem: { seq: e.seq, reason: `${e.action} names ${e.subject}, which no earlier event created` },
      };
    }
  }
  return { format, rows, problem: null };
}
