import { Button, Group, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { AuditEvent, Case, VerifyResult } from '../../../../shared/contract';
import { call } from '../../lib/api';
import { AuditLog } from './AuditLog';

/** All events of a case (paged) and a fresh verification of its chain and files. */
async function fetchAudit(caseId: string): Promise<{ events: AuditEvent[]; status: VerifyResult }> {
  const events: AuditEvent[] = [];
  for (;;) {
    const page = await call('audit.list', { caseId, afterSeq: events.at(-1)?.seq ?? 0, limit: 1000 });
    events.push(...page);
    if (page.length < 1000) break;
  }
  return { events, status: await call('audit.verify', { caseId }) };
}

/** The audit tab: the case's event log and a fresh chain check each time it opens (or on demand). */
export function AuditTab(props: { readonly theCase: Case }) {
  const [events, setEvents] = useState<readonly AuditEvent[]>([]);
  const [status, setStatus] = useState<VerifyResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const caseId = props.theCase.id;

  useEffect(() => {
    let live = true;
    fetchAudit(caseId).then(
      (r) => {
        if (!live) return;
        setEvents(r.events);
        setStatus(r.status);
        setError(null);
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [caseId, version]);

  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Button
          variant="default"
          onClick={() => {
            setStatus(null);
            setVersion((v) => v + 1);
          }}
        >
          Verify again
        </Button>
        <Text size="xs" c="dimmed">
          Every change is a hash-linked event; the check recomputes the chain and re-hashes stored files.
        </Text>
      </Group>
      {error && (
        <Text c="red" role="alert" size="sm">
          {error}
        </Text>
      )}
      <AuditLog events={events} status={status} />
    </Stack>
  );
}
