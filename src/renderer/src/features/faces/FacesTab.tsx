import { Badge, Group, Stack, Text } from '@mantine/core';
import type { Case, Evidence, Face } from '../../../../shared/contract';
import { caseFileUrl } from '../../lib/files';
import type { Loaded } from '../../lib/useCall';
import { AlignedPreview } from './FacePicker';

/** The aligned faces of a case: each crop (C1) beside the 16x16 input the model will see. */
export function FacesTab(props: {
  readonly theCase: Case;
  readonly evidence: readonly Evidence[];
  readonly faces: Loaded<readonly Face[]>;
}) {
  const list = props.faces.data ?? [];
  return (
    <Stack gap="sm">
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
      {list.map((f, i) => (
        <Stack key={f.id} gap={4} data-testid="face-item">
          <Group gap="xs">
            <Text size="sm" fw={600}>
              Face {i + 1}
            </Text>
            <Badge size="xs" variant="light" tt="none">
              {f.method === 'auto' ? 'detected automatically' : 'points placed by hand'}
            </Badge>
            <Text size="xs" c="dimmed">
              from {props.evidence.find((e) => e.id === f.evidenceId)?.originalName ?? 'a still'}
            </Text>
          </Group>
          <AlignedPreview
            cropSrc={caseFileUrl(f.caseId, f.cropSha256)}
            lrSrc={caseFileUrl(f.caseId, f.lrSha256)}
          />
        </Stack>
      ))}
    </Stack>
  );
}
