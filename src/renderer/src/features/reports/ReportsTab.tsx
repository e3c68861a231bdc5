import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  Select,
  Stack,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import { useState } from 'react';
import type { Case, Report, Run } from '../../../../shared/contract';
import { call, hasCalls } from '../../lib/api';
import { formatBytes, shortHash } from '../../lib/format';
import type { Loaded } from '../../lib/useCall';
import { reportFileName, reportScope, runName } from '../cases/names';
import { TEST_MODEL_FLAG, TEST_MODEL_SHORT } from '../../../../shared/labels';
import { Time } from '../../lib/Time';

type Format = Report['format'];
const FORMATS: readonly { value: Format; label: string; hint: string }[] = [
  { value: 'pdf', label: 'PDF', hint: 'For the case file and court bundle' },
  { value: 'html', label: 'HTML', hint: 'Opens in any browser, images embedded' },
  {
    value: 'manifest',
    label: 'JSON manifest',
    hint: 'Machine-readable: hashes and settings to reproduce every run',
  },
];

/** Reports: create PDF/HTML/JSON for the case or one run, list them with hashes, save a copy to a folder. */
export function ReportsTab(props: {
  readonly theCase: Case;
  readonly runs: readonly Run[];
  readonly reports: Loaded<readonly Report[]>;
  /** True for a run of a test model (or one never trained on faces): flagged wherever its report is listed. */
  readonly testModel: (run: Run) => boolean;
}) {
  const [formats, setFormats] = useState<Format[]>(['pdf', 'html', 'manifest']);
  const [runId, setRunId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const done = props.runs.filter((r) => r.status === 'done');
  const canSave = hasCalls('dialogs.saveFile');
  // A whole-case report shows the outputs of every run queued before it: flagged when any is a test model's.
  const flaggedRuns = (r: Report): readonly Run[] =>
    props.runs.filter((x) => (r.runId ? x.id === r.runId : x.queuedAt <= r.createdAt) && props.testModel(x));
  const chosen = done.find((r) => r.id === runId);
  const chosenFlagged = chosen ? props.testModel(chosen) : done.some(props.testModel);

  const create = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const made = await call('reports.create', {
        caseId: props.theCase.id,
        formats,
        ...(runId ? { runId } : {}),
      });
      const names = FORMATS.filter((f) => made.some((r) => r.format === f.value)).map((f) => f.label);
      setMessage({ ok: true, text: `Created ${names.join(', ')}.` });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    } finally {
      setBusy(false);
      props.reports.reload();
    }
  };

  const save = async (r: Report) => {
    setMessage(null);
    try {
      const { paths } = await call('dialogs.saveFile', {
        suggestedName: reportFileName(r),
      });
      const path = paths[0];
      if (!path) return;
      const out = await call('reports.export', { reportId: r.id, path });
      setMessage({ ok: true, text: `Saved ${out.path} (SHA-256 ${shortHash(out.sha256)}…)` });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };

  return (
    <Stack gap="xs">
      <Group gap="md" align="end">
        <Checkbox.Group label="Formats" value={formats} onChange={(v) => setFormats(v as Format[])}>
          <Group gap="sm" mt={4}>
            {FORMATS.map((f) => (
              <Tooltip key={f.value} label={f.hint}>
                <Checkbox size="xs" value={f.value} label={f.label} />
              </Tooltip>
            ))}
          </Group>
        </Checkbox.Group>
        <Select
          label="Run"
          placeholder="Whole case"
          clearable
          data={done.map((r) => ({
            value: r.id,
            label: `${runName(r, props.runs)}${props.testModel(r) ? ` · ${TEST_MODEL_SHORT}` : ''}`,
          }))}
          value={runId}
          onChange={setRunId}
          w={420}
        />
        <Button onClick={create} loading={busy} disabled={formats.length === 0}>
          Create report
        </Button>
      </Group>
      {chosenFlagged && (
        <Badge color="red" variant="filled" tt="none" data-testid="reports-test-model-flag">
          {chosen ? `${runName(chosen, props.runs)}: ${TEST_MODEL_FLAG}` : `Some runs: ${TEST_MODEL_FLAG}`}
        </Badge>
      )}
      {message && (
        <Alert color={message.ok ? 'green' : 'red'} p="xs" role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </Alert>
      )}
      {props.reports.data && props.reports.data.length > 0 && (
        <Table withTableBorder data-testid="reports-table" verticalSpacing={2}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Format</Table.Th>
              <Table.Th>Covers</Table.Th>
              <Table.Th>File</Table.Th>
              <Table.Th>Size</Table.Th>
              <Table.Th>SHA-256</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {props.reports.data.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{FORMATS.find((f) => f.value === r.format)?.label ?? r.format}</Table.Td>
                <Table.Td>
                  {r.runId ? reportScope(r, props.runs) : 'Whole case'}
                  {flaggedRuns(r).length > 0 && (
                    <Tooltip
                      multiline
                      w={300}
                      label={`${flaggedRuns(r)
                        .map((x) => runName(x, props.runs))
                        .join('; ')}: ${TEST_MODEL_FLAG}`}
                    >
                      <Badge size="xs" ml={4} color="red" tt="none" data-testid="reports-test-model-flag">
                        test model
                      </Badge>
                    </Tooltip>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{reportFileName(r)}</Text>
                </Table.Td>
                <Table.Td className="num">{formatBytes(r.sizeBytes)}</Table.Td>
                <Table.Td>
                  <Tooltip label={r.sha256}>
                    <Code>{shortHash(r.sha256)}…</Code>
                  </Tooltip>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">
                    <Time iso={r.createdAt} />
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  {canSave && (
                    <Button size="compact-xs" variant="default" onClick={() => save(r)}>
                      Save a copy…
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
