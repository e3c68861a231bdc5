import { Alert, Badge, Button, Code, Group, Modal, Select, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import {
  resolutionCheck,
  type Case,
  type Evidence,
  type Face,
  type Run,
  type RunSettings,
} from '../../../../shared/contract';
import { call, onEvent } from '../../lib/api';
import { caseFileUrl } from '../../lib/files';
import { useCall, type Loaded } from '../../lib/useCall';
import { Viewer } from '../viewer/Viewer';
import type { ViewerImage } from '../viewer/types';
import { JobProgress } from './JobProgress';
import { RunDialog, type RunDraft } from './RunDialog';
import { byQueueOrder, metricLabel, presetLabel, STATUS } from './runLabels';
import { inputLrCaption, provenanceCaption, runTitle, TEST_MODEL_FLAG } from '../../../../shared/labels';
import { rerunLine, rerunVerdict } from '../../../../shared/rerun';
import { useJobProgress } from './useJobProgress';
import { SweepDialog, SweepPanel } from './SweepPanel';
import { Time } from '../../lib/Time';
import { faceRoleNames, isReferenceFace } from '../cases/names';
import { useCaseChoice } from '../../lib/caseChoice';
import { selectWidth } from '../../lib/selectWidth';

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
  // The input face and the reference faces the examiner confirmed as inputs, per case (they survive tab switches).
  const [faceId, setFaceId] = useCaseChoice(props.theCase.id, 'run-input');
  const [confirmedRaw, setConfirmed] = useCaseChoice(props.theCase.id, 'reference-inputs');
  const confirmed = new Set((confirmedRaw ?? '').split(',').filter(Boolean));
  const [askReference, setAskReference] = useState<string | null>(null);
  const [dialog, setDialog] = useState<RunDraft | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [referenceId, setReferenceId] = useState<string | null>(null);
  const [fullReference, setFullReference] = useState(false);
  const [sweepOpen, setSweepOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const list = useMemo(() => byQueueOrder(runs.data ?? []), [runs.data]);
  // A run enhances a face of a still; a reference photo's face is offered only once confirmed.
  const offered = props.faces.filter((f) => !isReferenceFace(f, props.evidence) || confirmed.has(f.id));
  const stills = offered.filter((f) => !isReferenceFace(f, props.evidence));
  const face = offered.find((f) => f.id === faceId) ?? stills[stills.length - 1] ?? null;
  const faceLabel = faceRoleNames(props.faces, props.evidence);
  const referenceInput = !!face && isReferenceFace(face, props.evidence);
  const inputInfo = face && {
    name: faceLabel.get(face.id) ?? face.id,
    warning: resolutionCheck(face.transform).warning,
    reference: referenceInput,
  };

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
    const run = await call('runs.enqueue', {
      caseId: props.theCase.id,
      faceId: face.id,
      settings,
      ...(referenceInput ? { enhanceReference: true } : {}),
    });
    setSelected(run.id);
    runs.reload();
  };

  // A run of a test model (or one never trained on faces) is flagged wherever it is shown.
  const testModel = (r: Run): boolean => {
    const m = models.data?.models.find((x) => x.id === (r.record?.model.id ?? r.settings.modelId));
    return !!m && (m.testOnly || !m.trainedOnFaces);
  };
  const shown = list.find((r) => r.id === selected) ?? [...list].reverse().find((r) => r.status === 'done');
  const references = props.evidence.filter((e) => e.role === 'reference');
  const reference = references.find((e) => e.id === referenceId);
  const inputOptions = offered.map((f) => ({
    value: f.id,
    label: `${faceLabel.get(f.id) ?? f.id} (${{ auto: 'detected', manual: 'placed by hand', aligned: 'aligned crop', lr16: '16×16 input' }[f.method]})`,
  }));

  return (
    <Stack gap="xs">
      <Group gap="xs" align="end">
        <Select
          label="Input face (a face of a still)"
          placeholder={stills.length ? 'Pick a face' : 'No face of a still aligned yet'}
          data={inputOptions}
          value={face?.id ?? null}
          onChange={setFaceId}
          w={selectWidth(
            inputOptions.map((o) => o.label),
            380,
          )}
          allowDeselect={false}
          data-testid="run-input-select"
        />
        <Tooltip label="Align a face first (Faces tab)" disabled={!!face}>
          <Button disabled={!face} onClick={() => setDialog({})}>
            New run…
          </Button>
        </Tooltip>
        <Tooltip label="SDE-VEcs at several r values, same face and seed (paper Fig. 4)">
          <Button disabled={!face} variant="default" onClick={() => setSweepOpen(true)}>
            r sweep…
          </Button>
        </Tooltip>
        {props.faces.some((f) => isReferenceFace(f, props.evidence) && !confirmed.has(f.id)) && (
          <Button
            variant="subtle"
            color="red"
            onClick={() =>
              setAskReference(
                props.faces.find((f) => isReferenceFace(f, props.evidence) && !confirmed.has(f.id))!.id,
              )
            }
          >
            Enhance a reference photo…
          </Button>
        )}
      </Group>
      {referenceInput && (
        <Alert color="red" p="xs" data-testid="reference-input-flag">
          The input is a face of a reference photo ({faceLabel.get(face!.id)}), not of a still.
        </Alert>
      )}
      {askReference && (
        <Modal opened onClose={() => setAskReference(null)} title="Enhance a reference photo?">
          <Stack gap="xs">
            <Select
              label="Reference face"
              data={props.faces
                .filter((f) => isReferenceFace(f, props.evidence) && !confirmed.has(f.id))
                .map((f) => ({ value: f.id, label: faceLabel.get(f.id) ?? f.id }))}
              value={askReference}
              onChange={(v) => v && setAskReference(v)}
              allowDeselect={false}
            />
            <Text size="sm" data-testid="reference-confirm-text">
              {faceLabel.get(askReference)} has the role <b>reference photo</b>: it is what a run's result is
              compared with, not a still to enhance. Comparing a run of it with the same photo says nothing
              about identity. The run's audit event will record that you confirmed this.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setAskReference(null)}>
                Cancel
              </Button>
              <Button
                color="red"
                onClick={() => {
                  setConfirmed([...confirmed, askReference].join(','));
                  setFaceId(askReference);
                  setAskReference(null);
                }}
              >
                Enhance this reference photo
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
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
              title={`${runTitle(list.indexOf(r) + 1, r.settings.preset, r.settings.candidates, r.seed)} · ${STATUS[r.status].label}`}
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
        // At most about six rows high (then it scrolls, header kept): the viewer below stays on the screen.
        <Table.ScrollContainer minWidth={0} maxHeight={190} type="native">
          <Table withTableBorder highlightOnHover stickyHeader data-testid="runs-table" verticalSpacing={2}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>Input</Table.Th>
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
                  <Table.Td data-testid="run-input">
                    <Text size="xs">{faceLabel.get(r.faceId) ?? 'a removed face'}</Text>
                  </Table.Td>
                  <Table.Td>
                    {presetLabel(r.settings.preset)}
                    {r.settings.sweepId && r.settings.snr !== undefined && ` · r ${r.settings.snr}`}
                    {testModel(r) && (
                      <Badge size="xs" ml={4} color="red" tt="none">
                        test model
                      </Badge>
                    )}
                    {r.rerunOf && <RerunBadge run={r} runs={list} />}
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
                    <Text size="xs">
                      <Time iso={r.queuedAt} />
                    </Text>
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
        </Table.ScrollContainer>
      )}
      {shown && shown.status === 'done' && (
        <Stack gap={4} data-testid="run-viewer">
          <Group gap="xs" align="center">
            <Text size="sm" fw={600} data-testid="run-title">
              {runTitle(
                list.indexOf(shown) + 1,
                shown.settings.preset,
                shown.settings.candidates,
                shown.seed,
              )}
            </Text>
            <Text size="xs" c="dimmed" data-testid="run-face">
              input: {faceLabel.get(shown.faceId) ?? 'a removed face'}
            </Text>
            {testModel(shown) && (
              <Badge color="red" variant="filled" tt="none" data-testid="test-model-flag">
                {TEST_MODEL_FLAG}
              </Badge>
            )}
            {references.length > 0 && (
              <Group gap={6} wrap="nowrap">
                <Text
                  size="sm"
                  fw={500}
                  component="label"
                  htmlFor="show-beside"
                  style={{ whiteSpace: 'nowrap' }}
                >
                  Show beside
                </Text>
                <Select
                  id="show-beside"
                  aria-label="Show beside"
                  placeholder="No reference photo"
                  clearable
                  size="xs"
                  data={references.map((e) => ({ value: e.id, label: e.originalName }))}
                  value={referenceId}
                  onChange={setReferenceId}
                  w={selectWidth(
                    references.map((e) => e.originalName),
                    240,
                  )}
                />
              </Group>
            )}
          </Group>
          <RunViewer
            run={shown}
            face={props.faces.find((f) => f.id === shown.faceId) ?? null}
            reference={reference ?? null}
            referenceFace={
              props.faces.find((f) => f.evidenceId === reference?.id && f.method !== 'lr16') ?? null
            }
            fullReference={fullReference}
          />
          {reference && props.faces.some((f) => f.evidenceId === reference.id) && (
            <Group gap="xs">
              <Button size="compact-xs" variant="default" onClick={() => setFullReference((v) => !v)}>
                {fullReference ? 'Show the reference as its aligned crop' : 'Show the full reference photo'}
              </Button>
            </Group>
          )}
        </Stack>
      )}
      <SweepPanel
        runs={list}
        inputName={(faceId) => faceLabel.get(faceId) ?? 'a removed face'}
        references={props.faces
          .filter((f) => references.some((e) => e.id === f.evidenceId))
          .map((f) => ({ faceId: f.id, label: faceLabel.get(f.id) ?? f.id }))}
      />
      {sweepOpen && (
        <SweepDialog
          input={inputInfo ?? undefined}
          plan={planRun}
          models={models.data}
          onClose={() => setSweepOpen(false)}
          onSubmit={async (req) => {
            if (!face) throw new Error('Align a face first (Faces tab).');
            await call('runs.sweep', {
              caseId: props.theCase.id,
              faceId: face.id,
              settings: {
                modelId: 've',
                preset: 'sde-vecs',
                steps: req.steps,
                candidates: req.candidates,
                provider: 'cpu',
                dataConsistency: false,
              },
              snrs: req.snrs,
              ...(referenceInput ? { enhanceReference: true } : {}),
            });
            runs.reload();
          }}
        />
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
          input={inputInfo ?? undefined}
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
  /** The reference photo's aligned face, shown at the candidates' scale; null: the full photo is shown. */
  readonly referenceFace: Face | null;
  readonly fullReference: boolean;
}) {
  const { run, face } = props;
  const url = (sha: string) => caseFileUrl(run.caseId, sha);
  const bicubic = run.outputs.find((o) => o.kind === 'bicubic');
  const unc = run.outputs.find((o) => o.kind === 'uncertainty');
  const mean = run.outputs.find((o) => o.kind === 'mean');
  const metrics = (m: Readonly<Record<string, number>>, baseline = bicubic?.metrics.consistency) =>
    Object.entries(m).map(([key, v]) => metricLabel(key, v, baseline));
  const k = run.settings.candidates;
  const candidates: ViewerImage[] = run.outputs
    .filter((o) => o.kind === 'candidate')
    .sort((a, b) => a.index - b.index)
    .map((o) => ({
      id: o.id,
      title: `Candidate ${o.index + 1} of ${k}`,
      src: url(o.sha256),
      kind: 'candidate',
      caption: provenanceCaption('candidate', o.index + 1, k),
      metrics: metrics(o.metrics),
    }));
  if (!face || !bicubic) return <Text c="red">This run's stored images are incomplete.</Text>;
  const ref = props.reference;
  const refFace = props.fullReference ? null : props.referenceFace;
  const resolution = resolutionCheck(face.transform);
  return (
    <Stack gap={4}>
      {resolution.warning && (
        <Alert color="orange" px="xs" py={4} data-testid="viewer-resolution-warning">
          <Text size="sm">
            <b>Resolution:</b> {resolution.warning}
          </Text>
        </Alert>
      )}
      <Viewer
        still={
          face.method === 'lr16'
            ? undefined
            : {
                id: 'still',
                title: "The still's face 128×128",
                src: url(face.cropSha256),
                kind: 'still',
                caption: provenanceCaption('still'),
                metrics: [
                  {
                    label: 'Between the eyes',
                    value: `${resolution.interOcularPx.toFixed(0)} px in the file`,
                    hint: 'Distance between the eye centres in the still itself, before alignment to 128×128.',
                  },
                ],
              }
        }
        lr={{
          id: 'lr',
          title: 'Input 16×16',
          src: url(face.lrSha256),
          kind: 'lr',
          caption: inputLrCaption(face.method),
        }}
        bicubic={{
          id: bicubic.id,
          title: 'Bicubic 128×128',
          src: url(bicubic.sha256),
          kind: 'bicubic',
          metrics: metrics(bicubic.metrics, undefined),
        }}
        candidates={candidates}
        mean={
          mean && {
            id: mean.id,
            title: `Mean of the ${k} candidates`,
            src: url(mean.sha256),
            kind: 'mean',
            caption: provenanceCaption('mean', 1, k),
            metrics: metrics(mean.metrics),
          }
        }
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
          ref
            ? {
                id: ref.id,
                title: `Reference: ${ref.originalName}`,
                src: url(refFace ? refFace.cropSha256 : ref.sha256),
                kind: 'reference',
                caption: refFace
                  ? provenanceCaption('reference')
                  : 'Reference photo, full frame (not aligned) — no AI',
              }
            : undefined
        }
        size={224}
        perRow={6}
      />
    </Stack>
  );
}

/** A re-run's badge: which run it repeats (by its number) and whether its pixels came out identical. */
function RerunBadge({ run, runs }: { run: Run; runs: readonly Run[] }) {
  const i = runs.findIndex((x) => x.id === run.rerunOf);
  const original = i >= 0 ? runs[i]! : null;
  const label = i >= 0 ? `run ${i + 1}` : `run ${run.rerunOf!.slice(0, 8)}`;
  const v = original ? rerunVerdict(original, run) : null;
  const color = v?.kind === 'identical' ? 'green' : v?.kind === 'differs' ? 'red' : 'gray';
  return (
    <Badge size="xs" ml={4} variant="outline" tt="none" color={color} data-testid="rerun-verdict">
      {v ? rerunLine(label, v) : `Re-run of ${label}`}
    </Badge>
  );
}
