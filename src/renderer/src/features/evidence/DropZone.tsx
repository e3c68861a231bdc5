import { Box, Group, List, SegmentedControl, Text, ThemeIcon } from '@mantine/core';
import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import type { EvidenceRole } from '../../../../shared/contract';
import { allowDropped, call } from '../../lib/api';

/** What became of one dropped file. */
interface DropOutcome {
  readonly name: string;
  readonly status: 'imported' | 'duplicate' | 'failed';
  readonly text: string;
}

const STATUS_COLOR: Readonly<Record<DropOutcome['status'], string>> = {
  imported: 'green',
  duplicate: 'yellow',
  failed: 'red',
};

function hasFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer.types).includes('Files');
}

/**
 * The evidence gallery as a drop target: image files dropped on it are imported into the case (as stills or
 * reference photos), each with its own outcome, the service's message when it is refused.
 */
export function DropZone(props: {
  readonly caseId: string;
  readonly disabled: boolean;
  readonly onImported: () => void;
  readonly children: ReactNode;
}) {
  const [role, setRole] = useState<EvidenceRole>('probe');
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<readonly DropOutcome[]>([]);
  // dragenter/dragleave fire for every child crossed; count them so the highlight does not flicker.
  const depth = useRef(0);
  const off = props.disabled || busy;

  const onDragEnter = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth.current += 1;
    setDragging(true);
  };
  const onDragOver = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = off ? 'none' : 'copy';
  };
  const onDragLeave = () => {
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setDragging(false);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    depth.current = 0;
    setDragging(false);
    const files = Array.from(e.dataTransfer.files);
    if (off || files.length === 0) return;
    void importFiles(files);
  };

  const importFiles = async (files: readonly File[]) => {
    setBusy(true);
    setOutcomes([]);
    const done: DropOutcome[] = [];
    try {
      const paths = await allowDropped(files);
      for (const [i, path] of paths.entries()) {
        const name = files[i]?.name ?? path;
        try {
          const r = await call('evidence.import', { caseId: props.caseId, path, role });
          done.push(
            r.duplicate
              ? { name, status: 'duplicate', text: `already in the case as ${r.evidence.originalName}` }
              : { name, status: 'imported', text: 'imported' },
          );
        } catch (err) {
          done.push({ name, status: 'failed', text: (err as Error).message });
        }
        setOutcomes([...done]);
      }
    } catch (err) {
      done.push({
        name: files.map((f) => f.name).join(', '),
        status: 'failed',
        text: (err as Error).message,
      });
      setOutcomes([...done]);
    } finally {
      setBusy(false);
      props.onImported();
    }
  };

  const roleLabel = role === 'probe' ? 'stills to enhance' : 'reference photos';
  return (
    <Box
      data-testid="evidence-drop"
      data-dragging={dragging || undefined}
      onDragEnter={onDragEnter}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
      pos="relative"
      p="xs"
      style={{
        border: `2px dashed var(--mantine-color-${dragging ? 'blue-5' : 'default-border'})`,
        borderRadius: 'var(--mantine-radius-md)',
        background: dragging ? 'var(--mantine-color-blue-light)' : undefined,
        transition: 'background 80ms, border-color 80ms',
      }}
    >
      <Group gap="xs" mb="xs">
        <Text size="xs" c="dimmed">
          {busy ? 'Importing dropped files…' : 'Drop image files here to import them as'}
        </Text>
        <SegmentedControl
          size="xs"
          value={role}
          onChange={(v) => setRole(v as EvidenceRole)}
          disabled={off}
          aria-label="Dropped files are imported as"
          data={[
            { value: 'probe', label: 'Stills' },
            { value: 'reference', label: 'Reference photos' },
          ]}
        />
      </Group>
      {dragging && (
        <Text
          pos="absolute"
          inset={0}
          fw={600}
          c={off ? 'dimmed' : 'blue'}
          style={{ display: 'grid', placeItems: 'center', pointerEvents: 'none', zIndex: 2 }}
        >
          {off ? 'Busy: wait for the current import to finish' : `Release to import as ${roleLabel}`}
        </Text>
      )}
      {outcomes.length > 0 && (
        <List size="sm" spacing={2} mb="xs" data-testid="drop-outcomes" aria-live="polite">
          {outcomes.map((o, i) => (
            <List.Item
              key={`${o.name}-${i}`}
              data-status={o.status}
              icon={<ThemeIcon color={STATUS_COLOR[o.status]} size={10} radius="xl" />}
            >
              <Text span size="sm" fw={500}>
                {o.name}
              </Text>
              <Text span size="sm" c={o.status === 'failed' ? 'red' : 'dimmed'}>
                {' '}
                — {o.text}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
      <Box style={{ opacity: dragging ? 0.35 : 1 }}>{props.children}</Box>
    </Box>
  );
}
