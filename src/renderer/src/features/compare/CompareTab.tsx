import { Alert, Badge, Button, Group, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { call } from '../../lib/api';
import { comparedRun, comparisonSubject, faceNames, runName } from '../cases/names';
import { TEST_MODEL_FLAG, TEST_MODEL_SHORT } from '../../../../shared/labels';
import {
  COMPARISON_CAVEAT,
  readComparisonLr,
  readLrWithheld,
  SR_CAVEAT,
  type Case,
  type Comparison,
  type Evidence,
  type Face,
  type Run,
} from '../../../../shared/contract';
import type { Loaded } from '../../lib/useCall';
import { ComparisonTable, type ComparisonRow } from './ComparisonTable';

/** Comparisons of the case's images with reference photos, ranked. */
export function CompareTab(props: {
  readonly theCase: Case;
  readonly runs: readonly Run[];
  readonly evidence: readonly Evidence[];
  readonly faces: readonly Face[];
  readonly comparisons: Loaded<readonly Comparison[]>;
  /** True for a run of a test model (or one never trained on faces): flagged wherever its outputs appear. */
  readonly testModel: (run: Run) => boolean;
}) {
  const list = props.comparisons.data ?? [];
  const tested = (c: Comparison): boolean => {
    const r = comparedRun(c, props.runs);
    return !!r && props.testModel(r);
  };
  const rows: ComparisonRow[] = list.map((c) => ({
    id: c.id,
    subject: comparisonSubject(c, props.runs, props.evidence),
    testModel: tested(c),
    reference: props.evidence.find((e) => e.id === c.referenceEvidenceId)?.originalName ?? 'reference photo',
    score: c.score,
    percentile: c.calibrationPercentile,
    embedder: c.embedderId,
    lr: readComparisonLr(c.calibration),
    lrWithheld: readLrWithheld(c.calibration),
  }));
  // A reference is an aligned face on a reference photo (align it on the Faces tab); a 16x16 LR face cannot be embedded.
  const refs = props.faces.filter(
    (f) => f.method !== 'lr16' && props.evidence.find((e) => e.id === f.evidenceId)?.role === 'reference',
  );
  const faceName = faceNames(props.faces, props.evidence);
  const done = props.runs.filter((r) => r.status === 'done');
  const [refId, setRefId] = useState<string | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = refs.find((e) => e.id === refId) ?? refs[0];
  const run = done.find((r) => r.id === runId) ?? done[done.length - 1];
  const compare = async () => {
    if (!ref || !run) return;
    setBusy(true);
    setError(null);
    try {
      await call('comparisons.run', { caseId: props.theCase.id, referenceFaceId: ref.id, runId: run.id });
      props.comparisons.reload();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="xs">
      <Group gap="xs" align="end">
        <Select
          label="Reference face"
          placeholder={refs.length ? undefined : 'Align a face on a reference photo first'}
          data={refs.map((f) => ({ value: f.id, label: faceName.get(f.id) ?? f.id }))}
          value={ref?.id ?? null}
          onChange={setRefId}
          allowDeselect={false}
          w={220}
        />
        <Select
          label="Run"
          placeholder={done.length ? undefined : 'No finished run yet'}
          data={done.map((r) => ({
            value: r.id,
            label: `${runName(r, props.runs)}${props.testModel(r) ? ` · ${TEST_MODEL_SHORT}` : ''}`,
          }))}
          value={run?.id ?? null}
          onChange={setRunId}
          allowDeselect={false}
          w={420}
        />
        <Button onClick={compare} loading={busy} disabled={!ref || !run}>
          Compare
        </Button>
      </Group>
      {run && props.testModel(run) && (
        <Badge color="red" variant="filled" tt="none" data-testid="compare-test-model-flag">
          {runName(run, props.runs)}: {TEST_MODEL_FLAG}
        </Badge>
      )}
      {error && (
        <Alert color="red" p="xs" role="alert">
          {error}
        </Alert>
      )}
      {props.comparisons.error ? (
        <Text c="red" role="alert">
          {props.comparisons.error}
        </Text>
      ) : props.comparisons.data && rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          No comparisons yet.
        </Text>
      ) : (
        <ComparisonTable rows={rows} caveat={`${SR_CAVEAT} ${COMPARISON_CAVEAT}`} />
      )}
    </Stack>
  );
}
