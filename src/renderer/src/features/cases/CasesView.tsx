import { Alert, Button, Group, Table, Text, TextInput, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Case } from '../../../../shared/contract';
import { call } from '../../lib/api';
import { SHORTCUTS } from '../../lib/shortcuts';
import { Time } from '../../lib/Time';

/** The case list with a form to create a case; a row opens the case. */
export function CasesView(props: { readonly onOpen: (caseId: string) => void }) {
  const [cases, setCases] = useState<readonly Case[] | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [version, setVersion] = useState(0);
  const nameInput = useRef<HTMLInputElement>(null);

  useHotkeys([[SHORTCUTS.newCase.keys, () => nameInput.current?.focus()]]);

  useEffect(() => {
    let live = true;
    call('cases.list', {}).then(
      (list) => live && setCases(list),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [version]);

  const onCreate = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call('cases.create', { name });
      setName('');
      setVersion((v) => v + 1);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="cases-title">
      <Title order={2} size="h5" id="cases-title" mb="xs">
        Cases
      </Title>
      <form onSubmit={onCreate}>
        <Group gap="xs" mb="sm" align="end">
          <TextInput
            ref={nameInput}
            id="case-name"
            label="New case"
            w={420}
            value={name}
            placeholder="Case name, e.g. 2026-0413 Riverside burglary"
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={200}
          />
          <Button type="submit" disabled={busy || name.trim() === ''}>
            Create case
          </Button>
        </Group>
      </form>
      {error && (
        <Alert color="red" role="alert" mb="sm" p="xs">
          {error}
        </Alert>
      )}
      {cases === null ? (
        <Text c="dimmed">Loading…</Text>
      ) : cases.length === 0 ? (
        <Text c="dimmed">No cases yet. Create one to start.</Text>
      ) : (
        <Table highlightOnHover withTableBorder maw={900}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {cases.map((c) => (
              <Table.Tr key={c.id} data-case-id={c.id} onDoubleClick={() => props.onOpen(c.id)}>
                <Table.Td>{c.name}</Table.Td>
                <Table.Td>
                  <Time iso={c.createdAt} />
                </Table.Td>
                <Table.Td>{c.status}</Table.Td>
                <Table.Td ta="right">
                  <Button
                    variant="light"

                    onClick={() => props.onOpen(c.id)}
                  >
                    Open
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </section>
  );
}
