import { Kbd, Modal, Table, Text } from '@mantine/core';
import { displayKeys, SHORTCUTS, type Shortcut } from '../lib/shortcuts';

/** The keyboard help overlay (press ?). */
export function ShortcutHelp(props: { readonly opened: boolean; readonly onClose: () => void }) {
  const isMac = navigator.platform.toLowerCase().includes('mac');
  const all: readonly Shortcut[] = Object.values(SHORTCUTS);
  const groups = [...new Set(all.map((s) => s.group))];
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Keyboard shortcuts" size="md">
      {groups.map((g) => (
        <div key={g}>
          <Text fw={600} size="sm" mt="xs">
            {g}
          </Text>
          <Table>
            <Table.Tbody>
              {all
                .filter((s) => s.group === g)
                .map((s) => (
                  <Table.Tr key={s.keys + s.label}>
                    <Table.Td w={140}>
                      <Kbd size="xs">{displayKeys(s.keys, isMac)}</Kbd>
                    </Table.Td>
                    <Table.Td>{s.label}</Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
        </div>
      ))}
    </Modal>
  );
}
