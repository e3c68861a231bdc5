import { Alert, Badge, Code, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { shortHash } from '../../lib/format';

/** One audit event as listed (C6). */
export interface AuditRow {
  readonly seq: number;
  readonly time: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly hash: string;
}

/** The chain check: OK, or the first broken link and why. */
export type ChainStatus =
  | { readonly ok: true; readonly events: number; readonly headHash: string; readonly filesChecked: number }
  | {
      readonly ok: false;
      readonly events: number;
      readonly reason: string;
      readonly location: {
        readonly table: string;
        readonly seq?: number;
        readonly id?: string;
        readonly file?: string;
      };
    };

/** Where a break is, in words: "event 12", "evidence file …". */
export function describeLocation(loc: Extract<ChainStatus, { ok: false }>['location']): string {
  if (loc.seq !== undefined) return `event ${loc.seq}`;
  const what = loc.table.replace('_', ' ');
  return [what, loc.id, loc.file].filter(Boolean).join(' ');
}

/** The audit log of a case with its chain status on top. */
export function AuditLog(props: {
  readonly events: readonly AuditRow[];
  readonly status: ChainStatus | null;
}) {
  const s = props.status;
  const brokenSeq = s && !s.ok ? s.location.seq : undefined;
  return (
    <Stack gap="xs">
      {s === null ? (
        <Text size="sm" c="dimmed">
          Checking the chain…
        </Text>
      ) : s.ok ? (
        <Alert color="green" p="xs" data-testid="chain-status" title="Chain OK">
          All {s.events} events link up and {s.filesChecked} stored files match their hashes. Head:{' '}
          <Code>{shortHash(s.headHash)}</Code>
        </Alert>
      ) : (
        <Alert
          color="red"
          p="xs"
          data-testid="chain-status"
          title={`Chain broken at ${describeLocation(s.location)}`}
        >
          {s.reason}
        </Alert>
      )}
      <Table withTableBorder data-testid="audit-table" fz="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Time</Table.Th>
            <Table.Th>Who</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Subject</Table.Th>
            <Table.Th>Hash</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.events.map((e) => (
            <Table.Tr key={e.seq} bg={e.seq === brokenSeq ? 'var(--mantine-color-red-light)' : undefined}>
              <Table.Td className="num">{e.seq}</Table.Td>
              <Table.Td>{new Date(e.time).toLocaleString()}</Table.Td>
              <Table.Td>{e.actor}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  <Badge size="xs" variant="light" tt="none">
                    {e.action}
                  </Badge>
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="xs" truncate maw={260}>
                  {e.subject}
                </Text>
              </Table.Td>
              <Table.Td>
                <Tooltip label={e.hash}>
                  <Code>{shortHash(e.hash)}</Code>
                </Tooltip>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
