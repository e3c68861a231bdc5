/** How report pages name runs and images: the app's wording (shared/labels) applied to manifest entries. */
import { provenanceCaption, runTitle, TEST_MODEL_FLAG } from '../../shared/labels';
import type { ManifestRun, ReportManifest } from './manifest';

type ManifestOutput = ManifestRun['outputs'][number];

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

/** One r sweep of the report: its runs in r order, with the output each shows (the mean, or the one candidate). */
export interface ReportSweep {
  readonly title: string;
  readonly points: ReadonlyArray<{ r: number; run: ManifestRun; output: ManifestOutput | undefined }>;
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
    };
  });
}
