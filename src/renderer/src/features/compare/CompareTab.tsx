import { Text } from '@mantine/core';
import { SR_CAVEAT, type Case, type Comparison, type Evidence, type Run } from '../../../../shared/contract';
import type { Loaded } from '../../lib/useCall';
import { ComparisonTable, type ComparisonRow } from './ComparisonTable';

/** Names what a comparison scored: a run's candidate, its bicubic baseline, or the probe still itself. */
function subjectOf(c: Comparison, runs: readonly Run[], evidence: readonly Evidence[]): string {
  if (c.outputId) {
    for (const [i, r] of runs.entries()) {
      const o = r.outputs.find((x) => x.id === c.outputId);
      if (o)
        return o.kind === 'candidate'
          ? `Run ${i + 1} · candidate ${o.index + 1}`
          : `Run ${i + 1} · ${o.kind}`;
    }
  }
  if (c.probeEvidenceId) {
    const e = evidence.find((x) => x.id === c.probeEvidenceId);
    return `Still ${e?.originalName ?? ''} (no AI)`.trim();
  }
  return 'Unknown image';
}

/** Comparisons of the case's images with reference photos, ranked. */
export function CompareTab(props: {
  readonly theCase: Case;
  readonly runs: readonly Run[];
  readonly evidence: readonly Evidence[];
  readonly comparisons: Loaded<readonly Comparison[]>;
}) {
  const list = props.comparisons.data ?? [];
  const rows: ComparisonRow[] = list.map((c) => ({
    id: c.id,
    subject: subjectOf(c, props.runs, props.evidence),
    reference: props.evidence.find((e) => e.id === c.referenceEvidenceId)?.originalName ?? 'reference photo',
    score: c.score,
    percentile: c.calibrationPercentile,
    embedder: c.embedderId,
  }));
  if (props.comparisons.error)
    return (
      <Text c="red" role="alert">
        {props.comparisons.error}
      </Text>
    );
  if (props.comparisons.data && rows.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No comparisons yet.
      </Text>
    );
  return <ComparisonTable rows={rows} caveat={SR_CAVEAT} />;
}
