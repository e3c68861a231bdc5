import { Badge, Button, Group, Modal, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { Run } from '../../../../shared/contract';
import { provenanceCaption } from '../../../../shared/labels';
import { caseFileUrl } from '../../lib/files';
import { RSweepChart } from '../charts/RSweepChart';
import { STATUS } from './runLabels';

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
}) {
  const [text, setText] = useState('0.08, 0.16, 0.32');
  const [steps, setSteps] = useState<number>(500);
  const [candidates, setCandidates] = useState<number>(2);
  const [error, setError] = useState<string | null>(null);
  const parsed = parseSnrs(text);
  return (
    <Modal opened onClose={props.onClose} title="New r sweep (SDE-VEcs)">
      <Stack gap="xs">
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

/** The image of a sweep run shown in the strip: the candidate mean, or the only candidate. */
function stripOutput(run: Run) {
  return run.outputs.find((o) => o.kind === 'mean') ?? run.outputs.find((o) => o.kind === 'candidate');
}

/**
 * The newest r sweep of a case: consistency (of the candidate mean) against r on the chart component, and the
 * images in a strip with their captions under them. Runs still queued or running show their status.
 */
export function SweepPanel(props: { readonly runs: readonly Run[] }) {
  const sweeps = new Map<string, Run[]>();
  for (const r of props.runs) {
    const id = r.settings.sweepId;
    if (id) sweeps.set(id, [...(sweeps.get(id) ?? []), r]);
  }
  const latest = [...sweeps.values()].at(-1);
  if (!latest) return null;
  const runs = [...latest].sort((a, b) => (a.settings.snr ?? 0) - (b.settings.snr ?? 0));
  const done = runs.filter((r) => r.status === 'done');
  const points = done.flatMap((r) => {
    const o = stripOutput(r);
    const c = o?.metrics.consistency;
    return c === undefined || r.settings.snr === undefined ? [] : [{ r: r.settings.snr, value: c }];
  });
  const k = runs[0]!.settings.candidates;
  return (
    <Stack gap={4} data-testid="sweep-panel">
      <Text size="sm" fw={600}>
        r sweep · SDE-VEcs · N = {runs[0]!.settings.steps ?? 'preset'} · {k} candidate{k === 1 ? '' : 's'} ·
        seed {runs[0]!.seed}
      </Text>
      <Text size="xs" c="dimmed">
        Consistency of the {k > 1 ? 'candidate mean' : 'candidate'} at each r: mean squared error in 8-bit
        levels against the input when shrunk back to 16×16; lower is closer to the input.
      </Text>
      {points.length >= 2 ? (
        <RSweepChart points={points} lowerIsBetter metric="Consistency (MSE)" width={520} />
      ) : (
        <Text size="xs" c="dimmed">
          The chart appears when two runs of the sweep are done.
        </Text>
      )}
      <div className="viewer-grid" data-testid="sweep-strip">
        {runs.map((r) => {
          const o = r.status === 'done' ? stripOutput(r) : undefined;
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
            </figure>
          );
        })}
      </div>
    </Stack>
  );
}
