import { Alert, Badge, Button, Group, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { call } from '../../lib/api';
import { selectWidth } from '../../lib/selectWidth';
import { faceRoleNames, runName, runNumbers } from '../cases/names';
import { TEST_MODEL_FLAG, TEST_MODEL_SHORT } from '../../../../shared/labels';
import { summariseComparisons } from '../../../../shared/comparisons';
import {
  COMPARISON_CAVEAT,
  SR_CAVEAT,
  type Case,
  type Comparison,
  type Evidence,
  type Face,
  type Run,
} from '../../../../shared/contract';
import type { Loaded } from '../../lib/useCall';
import { ComparisonTable, type ComparisonGroup, type ComparisonRow } from './ComparisonTable';
import type { SimilarityBar } from '../charts/SimilarityBars';

/** Main's refusal of a same-source comparison starts with this (face-analysis-service checkSameSource). */
const SAME_SOURCE_REFUSAL = 'Refused, same source:';

/** The bars of one run against one reference: each compared image's latest comparison, candidates then mean. */
function runBars(run: Run, n: number, compared: readonly Comparison[]): SimilarityBar[] {
  const latest = new Map<string, Comparison>();
  for (const c of compared) if (c.outputId) latest.set(c.outputId, c);
  return run.outputs
    .filter((o) => latest.has(o.id))
    .sort((a, b) => (a.kind === b.kind ? a.index - b.index : a.kind === 'mean' ? 1 : -1))
    .map((o) => {
      const c = latest.get(o.id)!;
      const what = o.kind === 'candidate' ? `candidate ${o.index + 1}` : 'candidate mean';
      return { id: c.id, label: `Run ${n} · ${what}`, value: c.score };
    });
}

/** Comparisons of the case's runs with reference photos, per reference photo, one declared LR per run. */
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
  const faceName = faceRoleNames(props.faces, props.evidence);
  const numbers = runNumbers(props.runs);
  const byId = new Map(list.map((c) => [c.id, c]));
  const byRef = new Map<string, { rows: ComparisonRow[]; bars: SimilarityBar[] }>();
  for (const s of summariseComparisons(list, props.runs)) {
    const run = props.runs.find((r) => r.id === s.runId)!;
    const g = byRef.get(s.referenceEvidenceId) ?? { rows: [], bars: [] };
    byRef.set(s.referenceEvidenceId, g);
    g.rows.push({
      id: `${s.runId}|${s.referenceEvidenceId}`,
      run: runName(run, props.runs),
      input: faceName.get(run.faceId) ?? 'a removed face',
      testModel: props.testModel(run),
      sameSource: s.sameSource,
      lr: s.lr,
      lrWithheld: s.lrWithheld,
      meanScore: s.meanScore,
      spread: s.spread,
    });
    const compared = s.comparisonIds.map((id) => byId.get(id)!);
    g.bars.push(...runBars(run, numbers.get(run.id) ?? 0, compared));
  }
  // Grouped by reference photo, in the order of their first comparison (summariseComparisons' order).
  const groups: ComparisonGroup[] = [...byRef.entries()].map(([id, g]) => ({
    referenceId: id,
    reference: props.evidence.find((e) => e.id === id)?.originalName ?? 'reference photo',
    ...g,
  }));
  // A reference is an aligned face on a reference photo (align it on the Faces tab); a 16x16 LR face cannot be embedded.
  const refs = props.faces.filter(
    (f) => f.method !== 'lr16' && props.evidence.find((e) => e.id === f.evidenceId)?.role === 'reference',
  );
  const done = props.runs.filter((r) => r.status === 'done');
  const [refId, setRefId] = useState<string | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sameSource, setSameSource] = useState<string | null>(null);
  const ref = refs.find((e) => e.id === refId) ?? refs[0];
  const run = done.find((r) => r.id === runId) ?? done[done.length - 1];
  const refOptions = refs.map((f) => ({ value: f.id, label: faceName.get(f.id) ?? f.id }));
  const runOptions = done.map((r) => ({
    value: r.id,
    label: `${runName(r, props.runs)} · input ${faceName.get(r.faceId) ?? 'a removed face'}${props.testModel(r) ? ` · ${TEST_MODEL_SHORT}` : ''}`,
  }));
  const compare = async (allowSameSource: boolean) => {
    if (!ref || !run) return;
    setBusy(true);
    setError(null);
    setSameSource(null);
    try {
      await call('comparisons.run', {
        caseId: props.theCase.id,
        referenceFaceId: ref.id,
        runId: run.id,
        ...(allowSameSource ? { allowSameSource: true } : {}),
      });
      props.comparisons.reload();
    } catch (e) {
      const message = (e as Error).message;
      if (message.startsWith(SAME_SOURCE_REFUSAL)) setSameSource(message);
      else setError(message);
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
          data={refOptions}
          value={ref?.id ?? null}
          onChange={setRefId}
          allowDeselect={false}
          w={selectWidth(
            refOptions.map((o) => o.label),
            300,
          )}
        />
        <Select
          label="Run"
          placeholder={done.length ? undefined : 'No finished run yet'}
          data={runOptions}
          value={run?.id ?? null}
          onChange={setRunId}
          allowDeselect={false}
          w={selectWidth(
            runOptions.map((o) => o.label),
            520,
          )}
        />
        <Button onClick={() => compare(false)} loading={busy} disabled={!ref || !run}>
          Compare
        </Button>
      </Group>
      {run && props.testModel(run) && (
        <Badge color="red" variant="filled" tt="none" data-testid="compare-test-model-flag">
          {runName(run, props.runs)}: {TEST_MODEL_FLAG}
        </Badge>
      )}
      {sameSource && (
        <Alert color="red" p="xs" role="alert" title="Same source" data-testid="same-source-refusal">
          <Stack gap={4}>
            <Text size="sm">{sameSource}</Text>
            <Group>
              <Button size="compact-sm" color="red" variant="outline" onClick={() => compare(true)}>
                Compare anyway, flagged SAME SOURCE
              </Button>
            </Group>
          </Stack>
        </Alert>
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
      ) : props.comparisons.data && groups.length === 0 ? (
        <Text size="sm" c="dimmed">
          No comparisons yet.
        </Text>
      ) : (
        <ComparisonTable
          groups={groups}
          caveat={`${SR_CAVEAT} ${COMPARISON_CAVEAT}`}
          embedder={list[0]?.embedderId}
        />
      )}
    </Stack>
  );
}
