/**
 * What a comparison of a run with a reference photo reports (issue 28), in one place for the Compare tab and the
 * reports: one declared likelihood ratio per run and reference, the spread of the candidates' similarities, the
 * propositions the LR weighs, and the same-source flag. Plain ASCII, so the PDF's standard fonts print it as is.
 */
import {
  readComparisonLr,
  readLrWithheld,
  type Comparison,
  type ComparisonLrFields,
  type Run,
  type RunOutput,
} from './contract';

/** What the summary needs of a run (a Run, or a report manifest's run). */
export interface SummarisedRun {
  readonly id: Run['id'];
  readonly queuedAt: Run['queuedAt'];
  readonly outputs: readonly Pick<RunOutput, 'id' | 'kind' | 'index'>[];
}

/** What the summary needs of a comparison. */
export type SummarisedComparison = Pick<
  Comparison,
  'id' | 'outputId' | 'referenceEvidenceId' | 'score' | 'calibration' | 'createdAt'
>;

/**
 * The one statistic a run contributes against a reference, fixed before any score is seen: the calibrated LR of
 * the run's candidate mean (the pixel mean of its candidates, embedded once), with the `sr16-mean4` calibration,
 * which was fitted for a mean of exactly 4 candidates of the shipped model and preset. Chosen over "the mean score
 * over K candidates" because it is the statistic that was calibrated and tested on held-out identities
 * (docs/results/identity-lr); per-candidate LRs, or the best of K, were never calibrated and are not reported.
 */
export const DECLARED_STATISTIC =
  'One LR per run and reference photo, declared before any score is seen: the calibrated LR of the mean of the ' +
  "run's 4 candidates (calibration for a mean of exactly 4 candidates of the shipped model and preset). Each " +
  "candidate's similarity is shown only as the run's spread (min / median / max), never as evidence on its own.";

/** The propositions the LR weighs, with the population of the calibration set named. */
export const LR_PROPOSITIONS = {
  hp: "Hp: the reference photo shows the same person as the face in the still (the run's input).",
  hd:
    'Hd: the reference photo shows a different person, drawn from the population the calibration was made on ' +
    '(CelebA, 200 identities: photos of public figures).',
} as const;

/** Cllr in one plain sentence. */
export const CLLR_EXPLAINED =
  'Cllr (in bits) measures how costly these LRs were on people the calibration never saw: 0 is perfect, 1 is no ' +
  'better than always reporting LR = 1, so lower is better.';

/**
 * Cosine of HR (aligned crop) embeddings by the default embedder (mobileface) at or above which a run's input face
 * and a reference are taken to come from the same photo. Measured on eval/celeba (tools/face-eval/same-source.ts,
 * docs/results/identity-lr/README.md): different photos of one person reached at most 0.914 once CelebA's four
 * duplicate photographs (0.961 to 0.994, the same picture cropped again) are set aside; one photo re-encoded as
 * JPEG or rescaled stayed at 0.971 or more. 0.95 lies between.
 */
export const SAME_SOURCE_COSINE = 0.95;

/** The flag a same-source comparison carries on every screen, audit event and report page. */
export const SAME_SOURCE_FLAG = 'SAME SOURCE';

/** Why a comparison was flagged same-source, or null. */
export function readSameSource(calibration: Readonly<Record<string, unknown>>): string | null {
  return typeof calibration.sameSource === 'string' ? calibration.sameSource : null;
}

/** The candidates' similarities of a run to a reference, as a spread. */
export interface ScoreSpread {
  readonly n: number;
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** One run against one reference photo: the declared LR and the candidates' spread. */
export interface RunReferenceSummary {
  readonly runId: string;
  readonly referenceEvidenceId: string;
  /** The comparison whose LR is reported (the candidate mean's, the earliest if compared again), or null. */
  readonly declared: SummarisedComparison | null;
  readonly lr: ComparisonLrFields | null;
  /** Why there is no declared LR (null when there is one). */
  readonly lrWithheld: string | null;
  /** The candidate mean's similarity (the declared statistic's score), or null. */
  readonly meanScore: number | null;
  /** The candidates' similarities (each candidate's latest comparison), or null if none were compared. */
  readonly spread: ScoreSpread | null;
  /** Why it is same-source (any of its comparisons flagged), or null. */
  readonly sameSource: string | null;
  /** Every comparison in the group, oldest first. */
  readonly comparisonIds: readonly string[];
}

const byTime = (a: SummarisedComparison, b: SummarisedComparison) =>
  a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

function spreadOf(scores: readonly number[]): ScoreSpread | null {
  if (scores.length === 0) return null;
  const s = [...scores].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { n: s.length, min: s[0]!, median, max: s[s.length - 1]! };
}

/**
 * Groups a case's comparisons by run and reference photo. The reported LR depends only on the candidate mean's
 * comparison (the earliest, so comparing again changes nothing), never on the order given, on candidate rows, or
 * on which candidates were compared. Order: references by their first comparison, runs by queue order within.
 */
export function summariseComparisons(
  comparisons: readonly SummarisedComparison[],
  runs: readonly SummarisedRun[],
): RunReferenceSummary[] {
  const runOf = new Map<string, { run: SummarisedRun; kind: string; index: number }>();
  for (const r of runs) for (const o of r.outputs) runOf.set(o.id, { run: r, kind: o.kind, index: o.index });
  const groups = new Map<string, { run: SummarisedRun; ref: string; items: SummarisedComparison[] }>();
  for (const c of [...comparisons].sort(byTime)) {
    const at = c.outputId ? runOf.get(c.outputId) : undefined;
    if (!at) continue;
    const key = `${at.run.id}\u0000${c.referenceEvidenceId}`;
    const g = groups.get(key) ?? { run: at.run, ref: c.referenceEvidenceId, items: [] };
    g.items.push(c);
    groups.set(key, g);
  }
  const queued = (r: SummarisedRun) => `${r.queuedAt}\u0000${r.id}`;
  const refFirst = new Map<string, string>();
  for (const g of groups.values()) {
    const t = `${g.items[0]!.createdAt}\u0000${g.items[0]!.id}`;
    const prev = refFirst.get(g.ref);
    if (prev === undefined || t < prev) refFirst.set(g.ref, t);
  }
  const ordered = [...groups.values()].sort(
    (a, b) =>
      refFirst.get(a.ref)!.localeCompare(refFirst.get(b.ref)!) ||
      a.ref.localeCompare(b.ref) ||
      queued(a.run).localeCompare(queued(b.run)),
  );
  return ordered.map(({ run, ref, items }) => {
    const declared = items.find((c) => runOf.get(c.outputId!)!.kind === 'mean') ?? null;
    // Each candidate counts once (its latest comparison), however often it was compared.
    const latest = new Map<number, number>();
    for (const c of items) {
      const o = runOf.get(c.outputId!)!;
      if (o.kind === 'candidate') latest.set(o.index, c.score);
    }
    const lr = declared ? readComparisonLr(declared.calibration) : null;
    const k = run.outputs.filter((o) => o.kind === 'candidate').length;
    const lrWithheld = lr
      ? null
      : declared
        ? (readLrWithheld(declared.calibration) ?? 'no calibration')
        : k === 4
          ? 'the candidate mean was not compared'
          : `the declared statistic is the mean of exactly 4 candidates; this run has ${k}`;
    return {
      runId: run.id,
      referenceEvidenceId: ref,
      declared,
      lr,
      lrWithheld,
      meanScore: declared?.score ?? null,
      spread: spreadOf([...latest.values()]),
      sameSource: items.map((c) => readSameSource(c.calibration)).find((s) => s !== null) ?? null,
      comparisonIds: items.map((c) => c.id),
    };
  });
}
