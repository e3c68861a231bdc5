import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import {
  COMPARISON_CAVEAT,
  SR_CAVEAT,
  type ModelList,
  type Run,
  type RunPlanSummary,
  type RunSettings,
  type SweepSimilarity,
} from '../../../../shared/contract';
import { clock, costFor, estimateMs } from '../../../../shared/estimate';
import { provenanceCaption } from '../../../../shared/labels';
import { SAME_SOURCE_FLAG } from '../../../../shared/comparisons';
import { call } from '../../lib/api';
import { caseFileUrl } from '../../lib/files';
import { RSweepChart } from '../charts/RSweepChart';
import { selectWidth } from '../../lib/selectWidth';
import { STATUS } from './runLabels';

/** Main's refusal of a same-source comparison starts with this (face-analysis-service checkSameSource). */
const SAME_SOURCE_REFUSAL = 'Refused, same source:';

/** What the sweep dialog asks: the r values, N and the candidates of every run. */
export interface SweepRequest {
  readonly snrs: number[];
  readonly steps: number;
  readonly candidates: number;
}

/** Parses "0.08, 0.16 0.32" into distinct r values in (0, 1]; a message for anything else. */
export function parseSnrs(text: string): number[] | string {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const values = parts.map(Number);
  const bad = parts.find((p, i) => !(values[i]! > 0 && values[i]! <= 1));
  if (bad !== undefined) return `r must be a number in (0, 1], not "${bad}".`;
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  if (distinct.length < 2 || distinct.length > 8) return 'Give 2 to 8 different r values.';
  return distinct;
}

/** The dialog that starts an r sweep (SDE-VEcs at each r, same face and seed). */
export function SweepDialog(props: {
  readonly onClose: () => void;
  readonly onSubmit: (req: SweepRequest) => Promise<void>;
  /** The face the sweep enhances, named, and its resolution warning if any. */
  readonly input?: { readonly name: string; readonly warning: string | null; readonly reference: boolean };
  /** What main will run for one r (runs.plan), for the estimate. */
  readonly plan?: (settings: RunSettings) => Promise<RunPlanSummary>;
  /** Measured per-NFE costs (models.list). */
  readonly models?: ModelList | null;
}) {
  const [text, setText] = useState('0.08, 0.16, 0.32');
  const [steps, setSteps] = useState<number>(500);
  const [candidates, setCandidates] = useState<number>(2);
  const [error, setError] = useState<string | null>(null);
  const parsed = parseSnrs(text);
  const runsCount = typeof parsed === 'string' ? 0 : parsed.length;
  const estimate = useSweepEstimate(props.plan, props.models ?? null, steps, candidates, runsCount);
  return (
    <Modal opened onClose={props.onClose} title="New r sweep (SDE-VEcs)">
      <Stack gap="xs">
        {props.input && (
          <Text size="sm" data-testid="sweep-dialog-input">
            Input: <b>{props.input.name}</b>
            {props.input.reference ? ' (a reference photo, confirmed)' : ''}
          </Text>
        )}
        {props.input?.warning && (
          <Text size="xs" c="orange.8" data-testid="resolution-warning">
            {props.input.warning}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          One SDE-VEcs run per r, with the same face, seed, N and candidates: how the Langevin signal-to-noise
          ratio trades detail for smoothness on this face (paper Fig. 4). The paper uses N = 2000.
        </Text>
        <TextInput
          label="r values"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          error={typeof parsed === 'string' ? parsed : null}
        />
        <NumberInput
          label="Steps N"
          min={1}
          max={10_000}
          value={steps}
          onChange={(v) => setSteps(Number(v))}
        />
        <NumberInput
          label="Candidates per r"
          min={1}
          max={16}
          value={candidates}
          onChange={(v) => setCandidates(Number(v))}
        />
        <Text size="sm" data-testid="sweep-estimate">
          {estimate}
        </Text>
        {error && (
          <Text c="red" size="sm" role="alert">
            {error}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Cancel
          </Button>
          <Button
            disabled={typeof parsed === 'string'}
            onClick={() => {
              if (typeof parsed === 'string') return;
              props
                .onSubmit({ snrs: parsed, steps, candidates })
                .then(props.onClose, (e: Error) => setError(e.message));
            }}
          >
            Start sweep
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/**
 * The sweep's estimate before it starts: one plan per r (main's runs.plan) x the r values, times the measured cost
 * of the model at this batch; without a measured cost, the work in network evaluations and how to time it.
 */
function useSweepEstimate(
  plan: ((s: RunSettings) => Promise<RunPlanSummary>) | undefined,
  models: ModelList | null,
  steps: number,
  candidates: number,
  runs: number,
): string {
  const [summary, setSummary] = useState<RunPlanSummary | null>(null);
  useEffect(() => {
    if (!plan || !(steps >= 1) || !(candidates >= 1)) return;
    let live = true;
    plan({
      modelId: 've',
      preset: 'sde-vecs',
      steps,
      candidates,
      provider: 'cpu',
      dataConsistency: false,
    }).then(
      (p) => live && setSummary(p),
      () => live && setSummary(null),
    );
    return () => {
      live = false;
    };
  }, [plan, steps, candidates]);
  if (runs === 0) return 'Estimate: give the r values first.';
  if (!summary) return 'Estimate: planning…';
  const nfe = summary.nfe * runs;
  const cost = costFor(models?.costs ?? [], summary.model.id, 'cpu', candidates);
  const ms = estimateMs(nfe, cost?.msPerNfe ?? null);
  const work = `${runs} runs x ${summary.nfe} network evaluations on ${summary.model.id}`;
  return ms === null
    ? `Estimate: ${work}; no measured time for this model yet (time it in the run dialog).`
    : `Estimate: about ${clock(ms)} (${work}, ${cost!.msPerNfe.toFixed(1)} ms each).`;
}

/** The image of a sweep run shown in the strip: the candidate mean, or the only candidate. */
function stripOutput(run: Run) {
  return run.outputs.find((o) => o.kind === 'mean') ?? run.outputs.find((o) => o.kind === 'candidate');
}

/** An aligned face on a reference photo the sweep can be compared with. */
export interface SweepReference {
  readonly faceId: string;
  readonly label: string;
}

/**
 * What the CS side of the panel shows: nothing chosen, loading, the similarities, main's same-source refusal (which
 * the examiner may override, as on the Compare tab), or the error.
 */
type SimilarityState =
  | { readonly kind: 'none' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'done'; readonly result: SweepSimilarity }
  | { readonly kind: 'same-source'; readonly message: string }
  | { readonly kind: 'error'; readonly message: string };

/**
 * The cosine similarities of a sweep to the chosen reference face, computed (and audited) by main; asked again
 * whenever another run of the sweep finishes. Main records each candidate's comparison once.
 */
function useSweepSimilarity(
  caseId: string | undefined,
  sweepId: string | undefined,
  referenceFaceId: string | null,
  doneKey: string,
  /** The examiner chose to compare anyway: comparisons are recorded flagged SAME SOURCE. */
  allowSameSource: boolean,
): SimilarityState {
  const [state, setState] = useState<{ key: string; value: SimilarityState }>({
    key: '',
    value: { kind: 'none' },
  });
  const key = `${caseId}|${sweepId}|${referenceFaceId}|${doneKey}|${allowSameSource}`;
  useEffect(() => {
    if (!caseId || !sweepId || !referenceFaceId) return;
    let live = true;
    call('comparisons.sweep', {
      caseId,
      sweepId,
      referenceFaceId,
      ...(allowSameSource ? { allowSameSource: true } : {}),
    }).then(
      (result) => live && setState({ key, value: { kind: 'done', result } }),
      (e: Error) =>
        live &&
        setState({
          key,
          value: e.message.startsWith(SAME_SOURCE_REFUSAL)
            ? { kind: 'same-source', message: e.message }
            : { kind: 'error', message: e.message },
        }),
    );
    return () => {
      live = false;
    };
  }, [key, caseId, sweepId, referenceFaceId, allowSameSource]);
  if (!caseId || !sweepId || !referenceFaceId) return { kind: 'none' };
  // Keep the previous values on the chart while a newly finished run is being compared.
  if (state.key === key) return state.value;
  const previous = state.value.kind === 'done' ? state.value.result : null;
  return previous?.referenceFaceId === referenceFaceId && previous.sweepId === sweepId
    ? state.value
    : { kind: 'loading' };
}

/**
 * The newest r sweep of a case: consistency (of the candidate mean) against r on the chart component, the
 * cosine similarity (CS) of the candidates to a chosen reference photo against r beside it (computed by main,
 * each comparison audited), and the images in a strip with their captions under them. Runs still queued or
 * running show their status.
 */
export function SweepPanel(props: {
  readonly runs: readonly Run[];
  /** Aligned faces on the case's reference photos. */
  readonly references?: readonly SweepReference[];
  /** The name of a run's input face (file, face number, role). */
  readonly inputName?: (faceId: string) => string;
}) {
  const [referenceId, setReferenceId] = useState<string | null>(null);
  // The reference faces the examiner chose to compare anyway despite main's same-source refusal.
  const [insisted, setInsisted] = useState<ReadonlySet<string>>(new Set());
  const sweeps = new Map<string, Run[]>();
  for (const r of props.runs) {
    const id = r.settings.sweepId;
    if (id) sweeps.set(id, [...(sweeps.get(id) ?? []), r]);
  }
  const latest = [...sweeps.values()].at(-1);
  const references = props.references ?? [];
  const reference = references.find((f) => f.faceId === referenceId) ?? null;
  const doneKey = (latest ?? [])
    .filter((r) => r.status === 'done')
    .map((r) => r.id)
    .sort()
    .join(',');
  const similarity = useSweepSimilarity(
    latest?.[0]?.caseId,
    latest?.[0]?.settings.sweepId,
    reference?.faceId ?? null,
    doneKey,
    !!reference && insisted.has(reference.faceId),
  );
  if (!latest) return null;
  const runs = [...latest].sort((a, b) => (a.settings.snr ?? 0) - (b.settings.snr ?? 0));
  const done = runs.filter((r) => r.status === 'done');
  const points = done.flatMap((r) => {
    const o = stripOutput(r);
    const c = o?.metrics.consistency;
    return c === undefined || r.settings.snr === undefined ? [] : [{ r: r.settings.snr, value: c }];
  });
  const k = runs[0]!.settings.candidates;
  const sim = similarity.kind === 'done' ? similarity.result : null;
  const csPoints = (sim?.points ?? []).flatMap((p) => (p.mean === null ? [] : [{ r: p.r, value: p.mean }]));
  const csOf = (runId: string) => sim?.points.find((p) => p.runId === runId);
  return (
    <Stack gap={4} data-testid="sweep-panel">
      <Text size="sm" fw={600}>
        r sweep · SDE-VEcs · N = {runs[0]!.settings.steps ?? 'preset'} · {k} candidate{k === 1 ? '' : 's'} ·
        seed {runs[0]!.seed}
      </Text>
      {props.inputName && (
        <Text size="xs" data-testid="sweep-input">
          Input: {props.inputName(runs[0]!.faceId)}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        Consistency of the {k > 1 ? 'candidate mean' : 'candidate'} at each r: mean squared error in 8-bit
        levels against the input when shrunk back to 16×16; lower is closer to the input.
      </Text>
      <Group gap="md" align="flex-start">
        <Stack gap={2} data-testid="sweep-consistency-chart">
          {points.length >= 2 ? (
            <RSweepChart
              points={points}
              lowerIsBetter
              metric="Consistency"
              unit="MSE, 8-bit levels²"
              baseline={0}
              width={420}
            />
          ) : (
            <Text size="xs" c="dimmed">
              The chart appears when two runs of the sweep are done.
            </Text>
          )}
        </Stack>
        <Stack gap={4} data-testid="sweep-cs">
          <Select
            label="CS to reference photo"
            placeholder={references.length ? 'No reference photo' : 'Align a face on a reference photo first'}
            disabled={references.length === 0}
            clearable
            data={references.map((f) => ({ value: f.faceId, label: f.label }))}
            value={reference?.faceId ?? null}
            onChange={setReferenceId}
            w={selectWidth(
              references.map((f) => f.label),
              260,
            )}
          />
          {!reference ? (
            <Text size="xs" c="dimmed" maw={360} data-testid="sweep-cs-needs-reference">
              The cosine similarity (CS) of the candidates against r needs a reference photo: choose an
              aligned face of a reference photo (Faces tab). Without one the sweep shows consistency only.
            </Text>
          ) : similarity.kind === 'same-source' ? (
            <Alert
              color="red"
              p="xs"
              role="alert"
              title="Same source"
              maw={420}
              data-testid="sweep-same-source-refusal"
            >
              <Stack gap={4}>
                <Text size="xs">{similarity.message}</Text>
                <Group>
                  <Button
                    size="compact-sm"
                    color="red"
                    variant="outline"
                    onClick={() => setInsisted(new Set([...insisted, reference.faceId]))}
                  >
                    Compare anyway, flagged SAME SOURCE
                  </Button>
                </Group>
              </Stack>
            </Alert>
          ) : similarity.kind === 'error' ? (
            <Text size="xs" c="red" role="alert" maw={360}>
              {similarity.message}
            </Text>
          ) : similarity.kind === 'loading' ? (
            <Text size="xs" c="dimmed">
              Comparing the candidates with the reference…
            </Text>
          ) : csPoints.length >= 2 ? (
            <div data-testid="sweep-cs-chart">
              <RSweepChart
                points={csPoints}
                markBest={false}
                metric={`CS to reference, mean of ${k}`}
                unit="cosine"
                baseline={0}
                top={1}
                digits={3}
                width={420}
              />
            </div>
          ) : (
            <Text size="xs" c="dimmed">
              The CS chart appears when two runs of the sweep are done.
            </Text>
          )}
          {sim?.sameSource && (
            <Group gap={4} wrap="nowrap" maw={420} align="flex-start" data-testid="sweep-same-source-flag">
              <Badge color="red" variant="filled" tt="none" style={{ flexShrink: 0 }}>
                {SAME_SOURCE_FLAG}
              </Badge>
              <Text size="xs" c="red">
                {sim.sameSource.replace(`${SAME_SOURCE_FLAG}: `, '')}: these similarities say nothing about
                identity.
              </Text>
            </Group>
          )}
          {reference && (
            <Text size="xs" c="dimmed" maw={420} data-testid="sweep-cs-caveat">
              Cosine similarity of each candidate to {reference.label} by the default embedder
              {sim ? ` (${sim.embedderId})` : ''}; every comparison is in the audit log. {SR_CAVEAT}{' '}
              {COMPARISON_CAVEAT}
            </Text>
          )}
        </Stack>
      </Group>
      <div className="viewer-grid" data-testid="sweep-strip">
        {runs.map((r) => {
          const o = r.status === 'done' ? stripOutput(r) : undefined;
          const cs = csOf(r.id);
          return (
            <figure key={r.id} className="image-box" style={{ width: 128 }}>
              <Text size="xs" fw={600}>
                r = {r.settings.snr}{' '}
                {r.status !== 'done' && (
                  <Badge size="xs" color={STATUS[r.status].color} tt="none">
                    {STATUS[r.status].label}
                  </Badge>
                )}
              </Text>
              <div className="image-frame" style={{ width: 128, height: 128 }}>
                {o && (
                  <img
                    className="viewer-img"
                    src={caseFileUrl(r.caseId, o.sha256)}
                    alt={`r = ${r.settings.snr}`}
                    width={128}
                    height={128}
                  />
                )}
              </div>
              <figcaption className="caption-strip ai" data-testid="caption-strip" data-ai="yes">
                {o?.kind === 'mean' ? provenanceCaption('mean', 1, k) : provenanceCaption('candidate', 1, k)}
              </figcaption>
              {o?.metrics.consistency !== undefined && (
                <Text size="xs">consistency {o.metrics.consistency.toFixed(1)} MSE</Text>
              )}
              {cs && cs.mean !== null && (
                <Text size="xs" data-testid="sweep-cs-value">
                  CS {cs.scores.map((x) => x.score.toFixed(3)).join(', ')}
                  {cs.scores.length > 1 ? ` (mean ${cs.mean.toFixed(3)})` : ''}
                </Text>
              )}
            </figure>
          );
        })}
      </div>
    </Stack>
  );
}
