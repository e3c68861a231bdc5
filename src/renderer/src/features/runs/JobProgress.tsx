import { Button, Group, Paper, Progress, Text } from '@mantine/core';
import { useState } from 'react';
import type { JobProgress as Progress_ } from '../../../../shared/contract';
import { formatDuration } from '../../lib/format';

/** One running job: a bar with step count, elapsed time, ETA, and cancel. */
export function JobProgress(props: {
  readonly title: string;
  readonly progress: Progress_ | null;
  readonly onCancel: () => Promise<void>;
}) {
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const p = props.progress;
  const pct = p ? Math.min(100, (100 * p.step) / p.total) : 0;
  const cancel = async () => {
    setCancelling(true);
    setError(null);
    try {
      await props.onCancel();
    } catch (e) {
      setError((e as Error).message);
      setCancelling(false);
    }
  };
  return (
    <Paper withBorder p="xs" role="group" aria-label={`Job: ${props.title}`} data-testid="job-progress">
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" fw={500} truncate>
          {props.title}
        </Text>
        <Button size="compact-xs" variant="filled" color="red" onClick={cancel} loading={cancelling}>
          Cancel
        </Button>
      </Group>
      <Progress
        value={pct}
        animated={!p}
        striped={!p}
        mt={4}
        aria-label="Progress"
        aria-valuenow={Math.round(pct)}
      />
      <Group justify="space-between" gap="xs" mt={2}>
        <Text size="xs" className="num" data-testid="job-steps">
          {p ? `Step ${p.step} of ${p.total}` : 'Starting…'}
          {p?.message ? ` · ${p.message}` : ''}
        </Text>
        <Text size="xs" c="dimmed" className="num" data-testid="job-eta">
          {p
            ? `${formatDuration(p.elapsedMs)} elapsed · ${p.etaMs === null ? 'estimating time left' : `${formatDuration(p.etaMs)} left`}`
            : ''}
        </Text>
      </Group>
      {error && (
        <Text size="xs" c="red" role="alert">
          {error}
        </Text>
      )}
    </Paper>
  );
}
