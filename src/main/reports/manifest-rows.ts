/**
 * `facet verify`'s row check: every value a report manifest shows (evidence hashes, alignment, run settings, seeds
 * and records, output hashes and metrics, comparison scores) must be what the manifest's own audit chain says. With
 * the chain's head signed, an edited manifest value then needs a rewritten chain, and so the key.
 */
import { replayCase, type CaseTable, type Replayed } from '../services/audit-coverage';
import type { AuditEventValue } from '../services/audit-chain';
import { canonicalJson, type JsonValue } from '../services/canonical-json';

type Obj = Record<string, JsonValue>;

/** Manifest field -> table column, per table; the row is found by `id`. */
const FIELDS: Record<string, { table: CaseTable; list: string; columns: Record<string, string> }> = {
  evidence: {
    table: 'evidence',
    list: 'evidence',
    columns: {
      role: 'role',
      sha256: 'sha256',
      originalName: 'original_name',
      sizeBytes: 'size_bytes',
      mediaType: 'media_type',
      width: 'width',
      height: 'height',
    },
  },
  faces: {
    table: 'faces',
    list: 'faces',
    columns: {
      evidenceId: 'evidence_id',
      method: 'method',
      points: 'points',
      transform: 'transform',
      cropSha256: 'crop_sha256',
      lrSha256: 'lr_sha256',
    },
  },
  runs: {
    table: 'runs',
    list: 'runs',
    columns: { faceId: 'face_id', seed: 'seed', record: 'record', status: 'status' },
  },
  comparisons: {
    table: 'comparisons',
    list: 'comparisons',
    columns: {
      outputId: 'output_id',
      probeEvidenceId: 'probe_evidence_id',
      referenceEvidenceId: 'reference_evidence_id',
      embedderId: 'embedder_id',
      embedderSha256: 'embedder_sha256',
      score: 'score',
      calibrationPercentile: 'calibration_percentile',
      calibration: 'calibration',
    },
  },
};

const OUTPUT_COLUMNS: Record<string, string> = {
  kind: 'kind',
  index: 'idx',
  sha256: 'sha256',
  pixelsSha256: 'pixels_sha256',
  metrics: 'metrics',
};

const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const asList = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(asObj) : []);

/**
 * The differences between a manifest's values and its chain (`what: manifest says X, chain says Y (event n)`),
 * first ones first; empty when every shown value is vouched for by an event.
 */
export function manifestRowProblems(raw: unknown, chain: readonly AuditEventValue[]): string[] {
  const replayed: Replayed = replayCase(chain);
  if (replayed.problem) return [`event ${replayed.problem.seq}: ${replayed.problem.reason}`];
  const m = asObj(raw);
  const problems: string[] = [];
  const compare = (
    what: string,
    table: CaseTable,
    key: string,
    row: Obj,
    columns: Record<string, string>,
  ) => {
    const exp = replayed.rows[table].get(key);
    if (!exp) {
      problems.push(`${what}: no event of the chain records it`);
      return;
    }
    for (const [field, col] of Object.entries(columns)) {
      const cell = exp[col];
      if (!cell) continue;
      const a = canonicalJson(row[field] ?? null);
      const b = canonicalJson(cell.value);
      if (a !== b) {
        problems.push(
          `${what}: ${field} is ${a.slice(0, 80)} in the manifest, ${b.slice(0, 80)} in the chain (event ${cell.seq}, ${cell.action})`,
        );
      }
    }
  };
  for (const { table, list, columns } of Object.values(FIELDS)) {
    for (const row of asList(m[list]))
      compare(`${table} ${String(row.id)}`, table, String(row.id), row, columns);
  }
  for (const run of asList(m.runs)) {
    // The chain's settings carry the seed; the manifest shows it beside them.
    const settings = asObj(run.settings);
    compare(
      `run ${String(run.id)} settings`,
      'runs',
      String(run.id),
      { settings: { ...settings, seed: run.seed ?? null } },
      {
        settings: 'settings',
      },
    );
    for (const o of asList(run.outputs)) {
      const key =
        replayed.format >= 2 ? String(o.id) : `${String(run.id)}/${String(o.kind)}/${String(o.index)}`;
      compare(`output ${String(o.id)} of run ${String(run.id)}`, 'outputs', key, o, OUTPUT_COLUMNS);
    }
  }
  return problems;
}
