import { Alert, Badge, Button, Code, Group, Image, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { DropZone } from './DropZone';
import type { Case, Evidence, EvidenceRole } from '../../../../shared/contract';
import { call, hasCalls } from '../../lib/api';
import { caseFileUrl } from '../../lib/files';
import { formatBytes, shortHash } from '../../lib/format';
import type { Loaded } from '../../lib/useCall';
import { Time } from '../../lib/Time';

const ROLE_LABEL: Readonly<Record<EvidenceRole, string>> = {
  probe: 'Still to enhance',
  reference: 'Reference photo',
};

/** The evidence of a case: every original with its SHA-256, read-only, and import buttons. */
export function EvidenceTab(props: {
  readonly theCase: Case;
  readonly evidence: Loaded<readonly Evidence[]>;
}) {
  const [busy, setBusy] = useState<EvidenceRole | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const canPick = hasCalls('dialogs.openImages');

  const importAs = async (role: EvidenceRole) => {
    setBusy(role);
    setMessage(null);
    try {
      const { paths } = await call('dialogs.openImages', { multiple: true });
      const done: string[] = [];
      for (const path of paths) {
        const r = await call('evidence.import', { caseId: props.theCase.id, path, role });
        done.push(r.duplicate ? `${r.evidence.originalName} (already in the case)` : r.evidence.originalName);
      }
      if (done.length) setMessage({ ok: true, text: `Imported: ${done.join(', ')}` });
      props.evidence.reload();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
      props.evidence.reload();
    } finally {
      setBusy(null);
    }
  };

  const list = props.evidence.data;
  const gallery = (
    <Stack gap="xs">
      <Group gap="xs">
        {canPick && (
          <>
            <Button onClick={() => importAs('probe')} loading={busy === 'probe'} disabled={busy !== null}>
              Import still…
            </Button>
            <Button
              variant="default"
              onClick={() => importAs('reference')}
              loading={busy === 'reference'}
              disabled={busy !== null}
            >
              Import reference photo…
            </Button>
          </>
        )}
        <Text size="xs" c="dimmed">
          Originals are stored once by their SHA-256 and never modified.
        </Text>
      </Group>
      {message && (
        <Alert color={message.ok ? 'green' : 'red'} p="xs" role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </Alert>
      )}
      {props.evidence.error && (
        <Alert color="red" p="xs" role="alert">
          {props.evidence.error}
        </Alert>
      )}
      {list && list.length === 0 && (
        <Text c="dimmed" size="sm">
          No evidence yet. Import a still to start.
        </Text>
      )}
      {list && list.length > 0 && (
        <Table withTableBorder highlightOnHover data-testid="evidence-table" verticalSpacing={2}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={64} />
              <Table.Th>File</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Size</Table.Th>
              <Table.Th>SHA-256</Table.Th>
              <Table.Th>Imported</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((e) => (
              <Table.Tr key={e.id} data-evidence-id={e.id}>
                <Table.Td>
                  <Image
                    src={caseFileUrl(e.caseId, e.sha256)}
                    alt={e.originalName}
                    w={56}
                    h={42}
                    fit="contain"
                  />
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm">{e.originalName}</Text>
                    <Tooltip label="The original is read-only: stored once, re-hashed on export.">
                      <Badge size="xs" variant="outline" color="gray" tt="none">
                        original · read-only
                      </Badge>
                    </Tooltip>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Badge size="xs" variant="light" color={e.role === 'probe' ? 'blue' : 'grape'} tt="none">
                    {ROLE_LABEL[e.role]}
                  </Badge>
                </Table.Td>
                <Table.Td className="num">
                  {e.width}×{e.height} · {formatBytes(e.sizeBytes)}
                </Table.Td>
                <Table.Td>
                  <Tooltip label={e.sha256}>
                    <Code data-testid="evidence-sha">{shortHash(e.sha256)}…</Code>
                  </Tooltip>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">
                    <Time iso={e.importedAt} /> · {e.importedBy}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
  return hasCalls('evidence.import') ? (
    <DropZone caseId={props.theCase.id} disabled={busy !== null} onImported={props.evidence.reload}>
      {gallery}
    </DropZone>
  ) : (
    gallery
  );
}
