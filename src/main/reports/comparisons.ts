/**
 * The report's comparisons section and the warnings on a run's input (issue 28), as text lines that the HTML and
 * PDF renderers print alike: one declared LR per run and reference photo, grouped by reference, the candidates'
 * spread, the propositions, Cllr in words, and the SAME SOURCE and resolution flags.
 */
import { resolutionCheck } from '../../core/face/resolution';
import {
  CLLR_EXPLAINED,
  DECLARED_STATISTIC,
  LR_PROPOSITIONS,
  summariseComparisons,
} from '../../shared/comparisons';
import { formatLr } from '../../shared/contract';
import { reportFaceTitle, reportRunTitle } from './labels';
import type { ManifestRun, ReportManifest } from './manifest';

/** What a role means for a run's input, in words. */
const ROLE_WORDS = { probe: 'still to enhance', reference: 'REFERENCE PHOTO (enhanced on request)' } as const;

/** A run's input face, named: file, face number, role and size; with the resolution warning, if any. */
export function reportRunInput(m: ReportManifest, r: ManifestRun): { line: string; warning: string | null } {
  const face = m.faces.find((f) => f.id === r.faceId);
  if (!face) return { line: `Input: face ${r.faceId} (not in this report)`, warning: null };
  const ev = m.evidence.find((e) => e.id === face.evidenceId);
  const check = resolutionCheck(face.transform);
  const role = ev ? ROLE_WORDS[ev.role] : 'unknown role';
  return {
    line: `Input: ${reportFaceTitle(m, face)} (${role}; ${check.interOcularPx.toFixed(0)} px between the eyes in the file)`,
    warning: check.warning ? `RESOLUTION: ${check.warning}` : null,
  };
}

/** One run against one reference photo, as report lines. */
export interface ReportComparisonRow {
  readonly run: string;
  readonly input: string;
  /** The declared LR with its verbal scale and calibration, or why there is none. */
  readonly lr: string;
  /** The candidate mean's similarity and the candidates' spread. */
  readonly similarity: string;
  /** "SAME SOURCE: ..." or null. */
  readonly sameSource: string | null;
}

/** The comparisons of one reference photo. */
export interface ReportComparisonGroup {
  readonly reference: string;
  readonly rows: readonly ReportComparisonRow[];
}

/** The comparisons grouped by reference photo, each run once with its declared LR. */
export function reportComparisonGroups(m: ReportManifest): ReportComparisonGroup[] {
  const groups = new Map<string, ReportComparisonRow[]>();
  for (const s of summariseComparisons(m.comparisons, m.runs)) {
    const run = m.runs.find((r) => r.id === s.runId)!;
    const lr = s.lr
      ? `${formatLr(s.lr.lrLog10)}: ${s.lr.lrVerbal}; calibrated for ${s.lr.lrCalibratedFor}, held-out Cllr ${s.lr.lrCllr.toFixed(2)}`
      : `no LR: ${s.lrWithheld}`;
    const spread = s.spread
      ? `candidates (${s.spread.n}) min ${s.spread.min.toFixed(3)} / median ${s.spread.median.toFixed(3)} / max ${s.spread.max.toFixed(3)}`
      : 'no candidate compared';
    const mean = s.meanScore === null ? '' : `candidate mean ${s.meanScore.toFixed(3)}; `;
    const rows = groups.get(s.referenceEvidenceId) ?? [];
    rows.push({
      run: reportRunTitle(m, run),
      input: reportRunInput(m, run).line,
      lr,
      similarity: `Similarity: ${mean}${spread}`,
      sameSource: s.sameSource,
    });
    groups.set(s.referenceEvidenceId, rows);
  }
  return [...groups.entries()].map(([id, rows]) => ({
    reference: m.evidence.find((e) => e.id === id)?.originalName ?? id,
    rows,
  }));
}

/** What every comparisons section says about its LRs. */
export const COMPARISON_NOTES: readonly string[] = [
  DECLARED_STATISTIC,
  LR_PROPOSITIONS.hp,
  LR_PROPOSITIONS.hd,
  CLLR_EXPLAINED,
];
