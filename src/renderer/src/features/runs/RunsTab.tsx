import { Alert, Badge, Button, Code, Group, Select, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import type { Case, Evidence, Face, Run, RunSettings } from '../../../../shared/contract';
import { call, onEvent } from '../../lib/api';
import { caseFileUrl } from '../../lib/files';
import { useCall, type Loaded } from '../../lib/useCall';
import { Viewer } from '../viewer/Viewer';
import type { ViewerImage } from '../viewer/types';
import { JobProgress } from './JobProgress';
import { RunDialog, type RunDraft } from './RunDialog';
import { byQueueOrder, metricLabel, presetLabel, STATUS } from './runLabels';
import { useJobProgress } from './useJobProgress';

/** What main will run for these settings (runs.plan): the dialog shows it. */
const planRun = (settings: RunSettings) => call('runs.plan', { settings });

const ACTIVE = new Set(['queued', 'running']);

/** The runs of a case: start one, follow progress, cancel, re-run exactly, and view a finished run. */
export function RunsTab(props: {
  readonly theCase: Case;
  readonly faces: readonly Face[];
  readonly evidence: readonly Evidence[];
  readonly runs: Loaded<readonly Run[]>;
}) {
  const { runs } = props;
  // Models, providers and measured costs; refetched when a run finishes (its timing is a new measurement).
  const models = useCall('models.list', {}, 'models');
  const progress = useJobProgress();
  const [faceId, setFaceId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<RunDraft | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [referenceId, setReferenceId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const list = useMemo(() => byQueueOrder(runs.data ?? []), [runs.data]);
  const face = props.faces.find((f) => f.id === faceId) ?? props.faces[props.faces.length - 1] ?? null;

  // Main announces every state change of a run (queued, started, finished, cancelled): refetch the list then.
  const caseId = props.theCase.id;
  const reload = runs.reload;
  const reloadModels = models.reload;
  useEffect(
    () =>
      onEvent('runs.changed', (e) => {
        if (e.caseId !== caseId) return;
        reload();
        if (e.status === 'done') reloadModels();
      }),
    [caseId, reload, reloadModels],
  );

  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError((e as Error).message);
    }
    runs.reload();
  };

  const start = async (settings: RunSettings) => {
    if (!face) throw new Error('Align a face first (Faces tab).');
    const run = await call('runs.enqueue', { caseId: props.theCase.id, faceId: face.id, settings });
    setSelected(run.id);
    runs.reload();
  };

  const shown = list.find((r) => r.id === selected) ?? [...list].reverse().find((r) => r.status === 'done');
  const references = props.evidence.filter((e) => e.role === 'reference');
  const reference = references.find((e) => e.id === referenceId);

  return (
    <Stack gap="xs">
      <Group gap="xs" align="end">
        <Select
          label="Face"
          placeholder={props.faces.length ? 'Pick a face' : 'No aligned face yet'}
          data={props.faces.map((f, i) => ({
            value: f.id,
            label: `Face ${i + 1} (${{ auto: 'detected', manual: 'placed by hand', aligned: 'aligned crop' }[f.method]})`,
          }))}
          value={face?.id ?? null}
          onChange={setFaceId}
          w={240}
          allowDeselect={false}
        />
        <Tooltip label="Align a face first (Faces tab)" disabled={!!face}>
          <Button disabled={!face} onClick={() => setDialog({})}>
            New run…
          </Button>
        </Tooltip>
      </Group>
      {error && (
        <Alert color="red" p="xs" role="alert">
          {error}
        </Alert>
      )}
      {runs.error && (
        <Alert color="red" p="xs" role="alert">
          {runs.error}
        </Alert>
      )}
      {list
        .filter((r) => ACTIVE.has(r.status))
        .map((r) => {
          const p = progress.get(r.id) ?? null;
          return (
            <JobProgress
              key={r.id}
              title={`${presetLabel(r.settings.preset)} · ${r.settings.candidates} candidates · ${STATUS[r.status].label}`}
              progress={
                p ??
                (r.progress.total > 0
                  ? {
                      jobId: r.id,
                      step: r.progress.step,
                      total: r.progress.total,
                      nfe: 0,
                      elapsedMs: 0,
                      etaMs: null,
                    }
                  : null)
              }
              onCancel={() => act(() => call('runs.cancel', { runId: r.id }))}
            />
          );
        })}
      {list.length === 0 && runs.data && (
        <Text size="sm" c="dimmed">
          No runs yet.
        </Text>
      )}
      {list.length > 0 && (
        <Table withTableBorder highlightOnHover data-testid="runs-table" verticalSpacing={2}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>Method</Table.Th>
              <Table.Th>Candidates</Table.Th>
              <Table.Th>Seed</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Queued</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((r, i) => (
              <Table.Tr
                key={r.id}
                data-run-id={r.id}
                bg={shown?.id === r.id ? 'var(--mantine-color-blue-light)' : undefined}
              >
                <Table.Td className="num">{i + 1}</Table.Td>
                <Table.Td>
                  {presetLabel(r.settings.preset)}
                  {r.rerunOf && (
                    <Badge size="xs" ml={4} variant="outline" tt="none">
                      re-run
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td className="num">{r.settings.candidates}</Table.Td>
                <Table.Td>
                  <Code>{r.seed}</Code>
                </Table.Td>
                <Table.Td>
                  <Tooltip label={r.error ?? ''} disabled={!r.error}>
                    <Badge size="xs" color={STATUS[r.status].color} tt="none" data-testid="run-status">
                      {STATUS[r.status].label}
                    </Badge>
                  </Tooltip>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{new Date(r.queuedAt).toLocaleString()}</Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Button
                      size="compact-xs"
                      variant="light"
                      disabled={r.status !== 'done'}
                      onClick={() => setSelected(r.id)}
                    >
                      View
                    </Button>
                    <Tooltip label="Same model, settings and seed: identical pixels on the same processor">
                      <Button
                        size="compact-xs"
                        variant="default"
                        onClick={() => act(() => call('runs.rerun', { runId: r.id }))}
                      >
                        Re-run exactly
                      </Button>
                    </Tooltip>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {shown && shown.status === 'done' && (
        <Stack gap={4} data-testid="run-viewer">
          <Group gap="xs" align="end">
            <Text size="sm" fw={600}>
              Run {list.indexOf(shown) + 1}: {presetLabel(shown.settings.preset)}, seed {shown.seed}
            </Text>
            {references.length > 0 && (
              <Select
                label="Show beside"
                placeholder="No reference photo"
                clearable
                data={references.map((e) => ({ value: e.id, label: e.originalName }))}
                value={referenceId}
                onChange={setReferenceId}
                w={240}
              />
            )}
          </Group>
          <RunViewer
            run={shown}
            face={props.faces.find((f) => f.id === shown.faceId) ?? null}
            reference={reference ?? null}
          />
        </Stack>
      )}
      {dialog && (
        <RunDialog
          opened
          onClose={() => setDialog(null)}
          plan={planRun}
          models={models.data}
          onBenchmark={async (ask) => {
            const out = await call('models.benchmark', ask);
            models.reload();
            return out;
          }}
          initial={dialog}
          onSubmit={start}
        />
      )}
    </Stack>
  );
}

/** The viewer over a finished run's stored outputs. */
function RunViewer(props: {
  readonly run: Run;
  readonly face: Face | null;
  readonly reference: Evidence | null;
}) {
  const { run, face } = props;
  const url = (sha: string) => caseFileUrl(run.caseId, sha);
  const metrics = (m: Readonly<Record<string, number>>) =>
    Object.entries(m).map(([k, v]) => metricLabel(k, v));
  const bicubic = run.outputs.find((o) => o.kind === 'bicubic');
  const unc = run.outputs.find((o) => o.kind === 'uncertainty');
  const candidates: ViewerImage[] = run.outputs
    .filter((o) => o.kind === 'candidate')
    .sort((a, b) => a.index - b.index)
    .map((o) => ({
      id: o.id,
      title: `Candidate ${o.index + 1}`,
      src: url(o.sha256),
      kind: 'candidate',
      metrics: metrics(o.metrics),
    }));
  if (!face || !bicubic) return <Text c="red">This run's stored images are incomplete.</Text>;
  return (
    <Viewer
      lr={{ id: 'lr', title: 'Input 16×16 (real pixels)', src: url(face.lrSha256), kind: 'lr' }}
      bicubic={{
        id: bicubic.id,
        title: 'Bicubic (no AI)',
        src: url(bicubic.sha256),
        kind: 'bicubic',
        metrics: metrics(bicubic.metrics),
      }}
      candidates={candidates}
      uncertainty={
        unc && {
          id: unc.id,
          title: 'Uncertainty across candidates',
          src: url(unc.sha256),
          kind: 'uncertainty',
          metrics: metrics(unc.metrics),
        }
      }
      reference={
        props.reference
          ? {
              id: props.reference.id,
              title: `Reference: ${props.reference.originalName}`,
              src: url(props.reference.sha256),
              kind: 'reference',
            }
          : undefined
      }
      size={224}
    />
  );
}
