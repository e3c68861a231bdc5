import { Alert, Badge, Button, Code, Group, Select, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { shortHash } from '../../lib/format';
import { Time } from '../../lib/Time';

/** One audit event as listed (C6). */
export interface AuditRow {
  readonly seq: number;
  readonly time: string;
  /** The OS account. */
  readonly actor: string;
  /** The examiner's name as given, if any (recorded beside the OS account). */
  readonly examiner?: string | null;
  readonly action: string;
  readonly subject: string;
  readonly hash: string;
  /** The event's payload (shown on demand). */
  readonly payload?: unknown;
}

/** The chain check: OK, or the first broken link and why. */
export type ChainStatus =
  | {
      readonly ok: true;
      readonly events: number;
      readonly headSeq?: number;
      readonly headHash: string;
      readonly filesChecked: number;
      /** Which key signed which events (fingerprints), and whether it is this installation's. */
      readonly signers?: ReadonlyArray<{
        readonly fingerprint: string;
        readonly fromSeq: number;
        readonly toSeq: number;
        readonly local: boolean;
      }>;
    }
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

/** "run", "evidence", … : the kind of an action ("run.done"), for the filter. */
const kindOf = (action: string): string => action.split('.')[0] ?? action;

/**
 * The audit log of a case with its chain status on top. Subjects are named for what they are (`describe`: a file
 * name and short hash, a run title); each event's payload opens under it; the list filters by kind of action.
 */
export function AuditLog(props: {
  readonly events: readonly AuditRow[];
  readonly status: ChainStatus | null;
  readonly describe?: (subject: string) => string;
}) {
  const [kind, setKind] = useState<string | null>(null);
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const kinds = [...new Set(props.events.map((e) => kindOf(e.action)))].sort();
  const shown = kind ? props.events.filter((e) => kindOf(e.action) === kind) : props.events;
  const toggle = (seq: number) =>
    setOpen((o) => {
      const next = new Set(o);
      if (!next.delete(seq)) next.add(seq);
      return next;
    });
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
          {s.headSeq !== undefined && (
            <Text size="xs" mt={4}>
              Anchor (keep it to check this chain later): <Code>{`${s.headSeq}:${s.headHash}`}</Code>
            </Text>
          )}
          {s.signers?.map((k) => (
            <Text size="xs" key={`${k.fingerprint}-${k.fromSeq}`}>
              Events {k.fromSeq}–{k.toSeq} signed by key <Code>{shortHash(k.fingerprint)}</Code> (
              {k.local ? "this installation's" : 'another installation: an imported case'})
            </Text>
          ))}
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
      <Select
        label="Show events of kind"
        placeholder="All kinds"
        clearable
        data={kinds}
        value={kind}
        onChange={setKind}
        w={220}
        size="xs"
      />
      <Table withTableBorder data-testid="audit-table" fz="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Time</Table.Th>
            <Table.Th>Who</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Subject</Table.Th>
            <Table.Th>Hash</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((e) => [
            <Table.Tr
              key={e.seq}
              data-testid="audit-row"
              bg={e.seq === brokenSeq ? 'var(--mantine-color-red-light)' : undefined}
            >
              <Table.Td className="num">{e.seq}</Table.Td>
              <Table.Td>
                <Time iso={e.time} />
              </Table.Td>
              <Table.Td>{e.examiner ? `${e.examiner} (${e.actor})` : e.actor}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  <Badge size="xs" variant="light" tt="none">
                    {e.action}
                  </Badge>
                </Group>
              </Table.Td>
              <Table.Td>
                <Tooltip label={e.subject}>
                  <Text size="xs" truncate maw={320} data-testid="audit-subject">
                    {props.describe?.(e.subject) ?? e.subject}
                  </Text>
                </Tooltip>
              </Table.Td>
              <Table.Td>
                <Tooltip label={e.hash}>
                  <Code>{shortHash(e.hash)}</Code>
                </Tooltip>
              </Table.Td>
              <Table.Td>
                {e.payload !== undefined && (
                  <Button size="compact-xs" variant="subtle" onClick={() => toggle(e.seq)}>
                    {open.has(e.seq) ? 'Hide details' : 'Details'}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>,
            open.has(e.seq) && (
              <Table.Tr key={`${e.seq}-payload`}>
                <Table.Td colSpan={7}>
                  <Code block data-testid="audit-payload">
                    {JSON.stringify(e.payload, null, 2)}
                  </Code>
                </Table.Td>
              </Table.Tr>
            ),
          ])}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
