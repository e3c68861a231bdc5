/** How report pages name runs and images: the app's wording (shared/labels) applied to manifest entries. */
import {
  faceNumbers,
  faceTitle,
  provenanceCaption,
  runTitle,
  TEST_MODEL_FLAG,
  TEST_MODEL_SHORT,
} from '../../shared/labels';
import type { ManifestRun, ReportManifest } from './manifest';

type ManifestOutput = ManifestRun['outputs'][number];
type ManifestFace = ReportManifest['faces'][number];

/**
 * "Face 2 of still.jpg": the face's number as the app numbers it (stored in the manifest; an older manifest
 * without it is numbered among its own faces by the same rule, shared/labels faceNumbers).
 */
export function reportFaceTitle(m: ReportManifest, f: ManifestFace): string {
  const file = m.evidence.find((e) => e.id === f.evidenceId)?.originalName ?? `evidence ${f.evidenceId}`;
  return faceTitle(f.number ?? faceNumbers(m.faces).get(f.id) ?? 0, file);
}

/** How a face was aligned, in words. */
export const FACE_METHOD: Readonly<Record<ManifestFace['method'], string>> = {
  auto: 'detected automatically',
  manual: 'points placed by hand',
  aligned: 'the file is an aligned crop',
  lr16: 'the file is the 16x16 LR face (no crop)',
};

/** What a comparison scored, as the Compare tab names it: "Run 3 · candidate 2", or the probe file. */
export function reportComparisonSubject(m: ReportManifest, c: ReportManifest['comparisons'][number]): string {
  for (const r of m.runs) {
    const o = r.outputs.find((x) => x.id === c.outputId);
    if (o) {
      const n = r.number ?? m.runs.indexOf(r) + 1;
      const what = o.kind === 'candidate' ? `candidate ${o.index + 1}` : o.kind;
      const flag = testModelShort(r) ? ` [${testModelShort(r)}]` : '';
      return `Run ${n} · ${what}${flag}`;
    }
  }
  const probe = m.evidence.find((e) => e.id === c.probeEvidenceId);
  return probe ? `${probe.originalName} (no AI)` : (c.outputId ?? c.probeEvidenceId ?? 'unknown image');
}

/** "Run 3 · SDE-VE · 4 candidates · seed 7" (the run's position among the report's runs if it has no number). */
export function reportRunTitle(m: ReportManifest, r: ManifestRun): string {
  return runTitle(r.number ?? m.runs.indexOf(r) + 1, r.settings.preset, r.settings.candidates, r.seed);
}

/** The provenance caption of a stored output, as under the same image in the app. */
export function outputCaption(r: ManifestRun, o: ManifestOutput): string {
  return provenanceCaption(o.kind, o.index + 1, r.settings.candidates);
}

/** The report's order for a run's images: bicubic, candidates, their mean, then the uncertainty map. */
export function outputOrder(o: ManifestOutput): number {
  return { bicubic: 0, candidate: 1, mean: 2, uncertainty: 3 }[o.kind] * 100 + o.index;
}

/** The run's model flag when it is a test model or was never trained on faces (from its manifest's training). */
export function testModelFlag(r: ManifestRun): string | null {
  const training = r.model?.provenance?.training as { steps?: number; images_seen?: number } | undefined;
  if (!r.model) return null;
  if (!training) return `Model ${r.model.id}: provenance unknown (no manifest found)`;
  return training.steps === 0 || training.images_seen === 0 ? `${TEST_MODEL_FLAG} (${r.model.id})` : null;
}

/** The flag in a few words, for an image's caption or a line that names the run's outputs; null: no flag. */
export function testModelShort(r: ManifestRun): string | null {
  const flag = testModelFlag(r);
  if (!flag) return null;
  return flag.startsWith(TEST_MODEL_FLAG) ? TEST_MODEL_SHORT : 'model provenance unknown';
}

/**
 * The cosine similarities (CS) of a sweep's candidates to one reference face by one embedder, per r: each
 * candidate's latest recorded comparison (none for a run not compared or not done).
 */
export interface ReportSweepSimilarity {
  /** The reference photo's file name. */
  readonly reference: string;
  readonly referenceEvidenceId: string;
  readonly embedderId: string;
  readonly points: ReadonlyArray<{ r: number; scores: readonly number[]; mean: number | null }>;
}

/** One r sweep of the report: its runs in r order, with the output each shows (the mean, or the one candidate). */
export interface ReportSweep {
  readonly title: string;
  readonly points: ReadonlyArray<{ r: number; run: ManifestRun; output: ManifestOutput | undefined }>;
  /** CS to each reference face the sweep was compared with (empty when none was chosen). */
  readonly similarities: readonly ReportSweepSimilarity[];
}

/** The CS series of a sweep's runs (in r order), one per reference face and embedder it was compared with. */
function sweepSimilarities(m: ReportManifest, runs: readonly ManifestRun[]): ReportSweepSimilarity[] {
  const candidates = new Map<string, ManifestRun>();
  for (const run of runs) for (const o of run.outputs) if (o.kind === 'candidate') candidates.set(o.id, run);
  // Per reference face and embedder: each output's latest comparison (comparisons are listed oldest first).
  const groups = new Map<string, { first: (typeof m.comparisons)[number]; byOutput: Map<string, number> }>();
  for (const c of m.comparisons) {
    if (!c.outputId || !candidates.has(c.outputId)) continue;
    const key = `${c.referenceEvidenceId}|${String(c.calibration.referenceFaceId ?? '')}|${c.embedderSha256}`;
    const g = groups.get(key) ?? { first: c, byOutput: new Map<string, number>() };
    g.byOutput.set(c.outputId, c.score);
    groups.set(key, g);
  }
  return [...groups.values()].map(({ first, byOutput }) => ({
    reference: m.evidence.find((e) => e.id === first.referenceEvidenceId)?.originalName ?? 'reference photo',
    referenceEvidenceId: first.referenceEvidenceId,
    embedderId: first.embedderId,
    points: [...runs]
      .sort((a, b) => (a.settings.snr ?? 0) - (b.settings.snr ?? 0))
      .map((run) => {
        const scores = run.outputs
          .filter((o) => o.kind === 'candidate' && byOutput.has(o.id))
          .sort((a, b) => a.index - b.index)
          .map((o) => byOutput.get(o.id)!);
        return {
          r: run.settings.snr ?? 0,
          scores,
          mean: scores.length ? scores.reduce((a, x) => a + x, 0) / scores.length : null,
        };
      }),
  }));
}

/** "r = 0.1: CS 0.512, 0.498 (mean 0.505)", or that the run has no comparison. */
export function sweepSimilarityLine(p: ReportSweepSimilarity['points'][number]): string {
  if (p.mean === null) return `r = ${p.r}: not compared`;
  const list = p.scores.map((x) => x.toFixed(3)).join(', ');
  return `r = ${p.r}: CS ${list}${p.scores.length > 1 ? ` (mean ${p.mean.toFixed(3)})` : ''}`;
}

/** The report's r sweeps (runs that share a sweep id), in the order of their first run. */
export function reportSweeps(m: ReportManifest): ReportSweep[] {
  const groups = new Map<string, ManifestRun[]>();
  for (const r of m.runs) {
    const id = r.settings.sweepId;
    if (id) groups.set(id, [...(groups.get(id) ?? []), r]);
  }
  return [...groups.values()].map((runs) => {
    const first = runs[0]!;
    const k = first.settings.candidates;
    return {
      title: `r sweep · SDE-VEcs · N = ${first.record?.sampler.steps ?? first.settings.steps ?? 'preset'} · ${k} candidate${k === 1 ? '' : 's'} · seed ${first.seed}`,
      points: runs
        .map((run) => ({
          r: run.settings.snr ?? 0,
          run,
          output:
            run.outputs.find((o) => o.kind === 'mean') ?? run.outputs.find((o) => o.kind === 'candidate'),
        }))
        .sort((a, b) => a.r - b.r),
      similarities: sweepSimilarities(m, runs),
    };
  });
}
