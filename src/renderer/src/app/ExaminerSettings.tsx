/**
 * The examiner's name: shown in the header and set in a small dialog. Main records it in every audit event from
 * then on (beside the OS account) and prints it in reports; a change of it is itself audited in every open case.
 */
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { call } from '../lib/api';
import { useCall } from '../lib/useCall';

/** The header button that names the examiner (or asks for a name) and opens the settings dialog. */
export function ExaminerSettings() {
  const settings = useCall('settings.get', {}, 'settings');
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const s = settings.data;

  const openDialog = () => {
    setName(s?.examiner ?? '');
    setError(null);
    setOpen(true);
  };
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await call('settings.set', { examiner: name.trim() === '' ? null : name });
      settings.reload();
      setOpen(false);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <>
      <Button size="compact-xs" variant="subtle" onClick={openDialog} aria-label="Examiner settings">
        {s?.examiner ? `Examiner: ${s.examiner}` : 'Set examiner name'}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Examiner" size="sm">
        <form onSubmit={onSubmit} aria-label="Examiner settings form">
          <Stack gap="xs">
            <TextInput
              label="Examiner name"
              description="Recorded in every audit event from now on, and printed in reports. The change itself goes into the audit trail of every open case (from, to, OS account)."
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              data-autofocus
            />
            <Text size="xs" c="dimmed">
              OS account: {s?.osAccount ?? '…'} (recorded beside the name)
              {s?.examinerSource === 'override' ? ' · this session was started with another name' : ''}
            </Text>
            {error && (
              <Alert color="red" variant="light">
                {error}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button type="submit">Save</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
