import { Alert, Badge, Button, Divider, Group, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { Case, DetectedFace, Evidence, Face } from '../../../../shared/contract';
import { call } from '../../lib/api';
import { caseFileUrl } from '../../lib/files';
import type { Loaded } from '../../lib/useCall';
import { AlignedPreview, FacePicker, type Pt } from './FacePicker';
import { detectionLabels, faceRoleNames } from '../cases/names';

/** How a face was aligned, in words. */
const METHOD_LABEL: Record<Face['method'], string> = {
  auto: 'detected automatically',
  manual: 'points placed by hand',
  aligned: 'the still is an aligned crop',
  lr16: 'the still is the 16×16 input',
};

/** The face step on one still: find faces, pick one or place points, align into the canonical frame. */
function FaceStep(props: {
  readonly stills: readonly Evidence[];
  readonly faces: readonly Face[];
  readonly onAligned: () => void;
}) {
  const [stillId, setStillId] = useState<string | null>(null);
  const [detections, setDetections] = useState<readonly DetectedFace[] | null>(null);
  const [picked, setPicked] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const still = props.stills.find((e) => e.id === stillId) ?? props.stills[0] ?? null;

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const detect = () =>
    run(async () => {
      if (!still) return;
      setDetections((await call('faces.detect', { caseId: still.caseId, evidenceId: still.id })).faces);
      setPicked(null);
    });
  const align = (how: { detection: number } | { points: readonly Pt[] }) =>
    run(async () => {
      if (!still) return;
      const base = { caseId: still.caseId, evidenceId: still.id };
      await call(
        'faces.align',
        'detection' in how
          ? { ...base, method: 'auto', detection: how.detection }
          : {
              ...base,
              method: 'manual',
              points: how.points.map((p) => ({ x: p.x, y: p.y })),
              // Two eye points: let FaceMesh place all five landmarks where it finds a face there.
              refine: how.points.length === 2,
            },
      );
      props.onAligned();
    });

  if (!still)
    return (
      <Text size="sm" c="dimmed">
        Import a still on the Evidence tab first.
      </Text>
    );
  return (
    <Stack gap="xs" data-testid="face-step">
      <Group gap="xs" align="end">
        <Select
          label="Image"
          data={props.stills.map((e) => ({ value: e.id, label: e.originalName }))}
          value={still.id}
          onChange={(v) => {
            setStillId(v);
            setDetections(null);
          }}
          allowDeselect={false}
          w={240}
        />
        <Button onClick={detect} loading={busy && detections === null}>
          Find faces
        </Button>
      </Group>
      {error && (
        <Alert color="red" p="xs" role="alert">
          {error}
        </Alert>
      )}
      <FacePicker
        src={caseFileUrl(still.caseId, still.sha256)}
        width={still.width}
        height={still.height}
        detections={
          detections
            ? ((labels) =>
                detections.map((d, i) => ({
                  box: d.box,
                  score: d.score,
                  points: d.landmarks,
                  label: labels[i],
                })))(detectionLabels(detections, still.id, props.faces))
            : null
        }
        selected={picked}
        busy={busy}
        onPick={(i) => {
          const d = detections?.[i];
          if (!d) return;
          setPicked(i);
          void align({ detection: d.index });
        }}
        onManual={(points) => void align({ points })}
      />
    </Stack>
  );
}

/**
 * The aligned faces of a case: each named with its role (a still to enhance, or a reference photo to compare with),
 * its crop (C1) beside the 16x16 input the model will see.
 */
export function FacesTab(props: {
  readonly theCase: Case;
  readonly evidence: readonly Evidence[];
  readonly faces: Loaded<readonly Face[]>;
}) {
  const list = props.faces.data ?? [];
  // Named with their role, as the run and comparison pickers name them ("Face 1 of still.jpg · still").
  const names = faceRoleNames(list, props.evidence);
  return (
    <Stack gap="sm">
      <FaceStep stills={props.evidence} faces={list} onAligned={props.faces.reload} />
      <Divider label="Aligned faces" labelPosition="left" />
      {props.faces.error && (
        <Text c="red" role="alert">
          {props.faces.error}
        </Text>
      )}
      {list.length === 0 && props.faces.data && (
        <Text size="sm" c="dimmed">
          No aligned faces yet.
        </Text>
      )}
      {list.map((f) => (
        <Stack key={f.id} gap={4} data-testid="face-item">
          <Group gap="xs">
            <Text size="sm" fw={600} data-testid="face-name">
              {names.get(f.id)}
            </Text>
            <Badge size="xs" variant="light" tt="none">
              {METHOD_LABEL[f.method]}
            </Badge>
          </Group>
          <AlignedPreview
            cropSrc={f.method === 'lr16' ? null : caseFileUrl(f.caseId, f.cropSha256)}
            lrSrc={caseFileUrl(f.caseId, f.lrSha256)}
          />
        </Stack>
      ))}
    </Stack>
  );
}
