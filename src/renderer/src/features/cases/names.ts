/**
 * How the case's things are named on every tab: faces by their one number within their file ("Face 2 of
 * still.jpg"), runs by their title ("Run 3 · SDE-VE · 4 candidates · seed 7"), comparisons by what they scored,
 * reports by their format, scope, file name and hash. One place, so the Faces, Runs, Compare, Reports and Audit
 * tabs never name the same thing two ways.
 */
import type { Comparison, Evidence, Face, ModelInfo, Report, Run } from '../../../../shared/contract';
import { faceNumbers, faceTitle, runTitle } from '../../../../shared/labels';
import { shortHash } from '../../lib/format';
import { byQueueOrder } from '../runs/runLabels';

/** "Face 2 of still.jpg" for each face of the case (all of them: see `faceNumbers`). */
export function faceNames(
  faces: readonly Face[],
  evidence: readonly Evidence[],
): ReadonlyMap<string, string> {
  const numbers = faceNumbers(faces);
  const file = new Map(evidence.map((e) => [e.id, e.originalName]));
  return new Map(
    faces.map((f) => [f.id, faceTitle(numbers.get(f.id) ?? 0, file.get(f.evidenceId) ?? 'a removed file')]),
  );
}

/** What a face is for, from its file's role: a still to enhance, or a reference photo to compare with. */
export const ROLE_LABEL = { probe: 'still', reference: 'reference photo' } as const;

/**
 * "Face 2 of still.jpg · still" for each face: file, number (from 1) and role, as every face picker names it.
 */
export function faceRoleNames(
  faces: readonly Face[],
  evidence: readonly Evidence[],
): ReadonlyMap<string, string> {
  const names = faceNames(faces, evidence);
  const role = new Map(evidence.map((e) => [e.id, ROLE_LABEL[e.role]]));
  return new Map(
    faces.map((f) => [f.id, `${names.get(f.id) ?? f.id} · ${role.get(f.evidenceId) ?? 'removed file'}`]),
  );
}

/** True when the face was aligned from a reference photo. */
export function isReferenceFace(face: Face, evidence: readonly Evidence[]): boolean {
  return evidence.find((e) => e.id === face.evidenceId)?.role === 'reference';
}

/** Each run's number in its case, oldest first ("Run 1" is the first run queued), whatever order `runs` is in. */
export function runNumbers(runs: readonly Run[]): ReadonlyMap<string, number> {
  return new Map(byQueueOrder(runs).map((r, i) => [r.id, i + 1]));
}

/** The run's title as on the Runs tab: "Run 3 · SDE-VE · 4 candidates · seed 7". */
export function runName(run: Run, runs: readonly Run[]): string {
  const n = runNumbers(runs).get(run.id) ?? runs.length + 1;
  return runTitle(n, run.settings.preset, run.settings.candidates, run.seed);
}

/**
 * True when the run's score model is a test model or was never trained on faces: its outputs say nothing about the
 * person, and every screen that shows or lists them carries the flag. False while the model list is not known.
 */
export function isTestModelRun(run: Run, models: readonly ModelInfo[] | undefined): boolean {
  const m = models?.find((x) => x.id === (run.record?.model.id ?? run.settings.modelId));
  return !!m && (m.testOnly || !m.trainedOnFaces);
}

/** The run (if any) whose output a comparison scored. */
export function comparedRun(c: Comparison, runs: readonly Run[]): Run | undefined {
  return c.outputId ? runs.find((r) => r.outputs.some((o) => o.id === c.outputId)) : undefined;
}

/** What a comparison scored: "Run 3 · candidate 2", "Run 3 · bicubic", or the probe still itself. */
export function comparisonSubject(
  c: Comparison,
  runs: readonly Run[],
  evidence: readonly Evidence[],
): string {
  const run = comparedRun(c, runs);
  const o = run?.outputs.find((x) => x.id === c.outputId);
  if (run && o) {
    const n = runNumbers(runs).get(run.id);
    return o.kind === 'candidate' ? `Run ${n} · candidate ${o.index + 1}` : `Run ${n} · ${o.kind}`;
  }
  if (c.probeEvidenceId) {
    const e = evidence.find((x) => x.id === c.probeEvidenceId);
    return `Still ${e?.originalName ?? ''} (no AI)`.replace('  ', ' ');
  }
  return 'Unknown image';
}

const FORMAT_NAMES: Readonly<Record<Report['format'], { label: string; ext: string }>> = {
  pdf: { label: 'PDF', ext: 'pdf' },
  html: { label: 'HTML', ext: 'html' },
  manifest: { label: 'JSON manifest', ext: 'json' },
};

/** The file name a report is saved under by default: "facet-report-1a2b3c4d.pdf". */
export function reportFileName(r: Report): string {
  return `facet-report-${r.id.slice(0, 8)}.${FORMAT_NAMES[r.format].ext}`;
}

/** What a report covers: "Run 3 · SDE-VE · 4 candidates · seed 7" or "whole case". */
export function reportScope(r: Report, runs: readonly Run[]): string {
  if (!r.runId) return 'whole case';
  const run = runs.find((x) => x.id === r.runId);
  return run ? runName(run, runs) : 'a run no longer listed';
}

/** "PDF report of Run 3 · SDE-VE · 4 candidates · seed 7: facet-report-1a2b3c4d.pdf (1a2b3c4d5e6f)". */
export function reportName(r: Report, runs: readonly Run[]): string {
  return `${FORMAT_NAMES[r.format].label} report of ${reportScope(r, runs)}: ${reportFileName(r)} (${shortHash(r.sha256)})`;
}

/** "A", "B", …, "Z", "AA", "AB": the letter of a detection not aligned yet (numbers are for faces only). */
export function detectionLetter(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * The labels of the detection boxes on one file: a detection already aligned carries its face's number
 * ("Face 2", the same face the other tabs name "Face 2 of still.jpg"); one not aligned yet is lettered
 * ("Detection B") because it has no face number until it is aligned. A detection is the aligned face whose
 * stored landmarks are its landmarks (an 'auto' face keeps the detector's points).
 */
export function detectionLabels(
  detections: readonly { readonly landmarks: readonly { x: number; y: number }[] }[],
  evidenceId: string,
  faces: readonly Face[],
): { readonly short: string; readonly name: string; readonly faceId: string | null }[] {
  const numbers = faceNumbers(faces);
  const same = (a: readonly { x: number; y: number }[], b: readonly { x: number; y: number }[]): boolean =>
    a.length === b.length &&
    a.every((p, k) => Math.abs(p.x - b[k]!.x) < 1e-3 && Math.abs(p.y - b[k]!.y) < 1e-3);
  return detections.map((d, i) => {
    const face = faces.find(
      (f) => f.evidenceId === evidenceId && f.method === 'auto' && same(f.points, d.landmarks),
    );
    const n = face && numbers.get(face.id);
    return n
      ? { short: `Face ${n}`, name: `Face ${n}`, faceId: face.id }
      : { short: detectionLetter(i), name: `Detection ${detectionLetter(i)}`, faceId: null };
  });
}
