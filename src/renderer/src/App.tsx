import { ActionIcon, AppShell, Group, Text, Title, Tooltip, useMantineColorScheme } from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { useState } from 'react';
import { ExaminerSettings } from './app/ExaminerSettings';
import { ShortcutHelp } from './app/ShortcutHelp';
import type { Route } from './app/route';
import { CaseView } from './features/cases/CaseView';
import { CasesView } from './features/cases/CasesView';
import { SHORTCUTS } from './lib/shortcuts';

/** The workstation shell: header (title, theme, help) and the current view. */
export function App() {
  const [route, setRoute] = useState<Route>({ kind: 'cases' });
  const [helpOpen, help] = useDisclosure(false);
  const { toggleColorScheme } = useMantineColorScheme();

  useHotkeys([
    [SHORTCUTS.help.keys, help.toggle],
    [SHORTCUTS.theme.keys, toggleColorScheme],
    [SHORTCUTS.cases.keys, () => setRoute({ kind: 'cases' })],
  ]);

  return (
    <AppShell header={{ height: 40 }} padding="sm">
      <AppShell.Header>
        <Group h="100%" px="sm" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Title order={1} size="h5">
              Facet SR
            </Title>
            <Text size="xs" c="dimmed" truncate>
              Face super-resolution workstation · results are investigative aids, not evidence of identity
            </Text>
          </Group>
          <Group gap={4} wrap="nowrap">
            <ExaminerSettings />
            <Tooltip label="Light / dark theme (Ctrl+Shift+L)">
              <ActionIcon aria-label="Switch theme" onClick={toggleColorScheme}>
                ◐
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Keyboard shortcuts (?)">
              <ActionIcon aria-label="Keyboard shortcuts" onClick={help.open}>
                ?
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        {route.kind === 'cases' ? (
          <CasesView onOpen={(caseId) => setRoute({ kind: 'case', caseId, tab: 'evidence' })} />
        ) : (
          <CaseView
            caseId={route.caseId}
            tab={route.tab}
            onTab={(tab) => setRoute({ ...route, tab })}
            onBack={() => setRoute({ kind: 'cases' })}
          />
        )}
      </AppShell.Main>
      <ShortcutHelp opened={helpOpen} onClose={help.close} />
    </AppShell>
  );
}
