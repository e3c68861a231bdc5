import { Anchor, Breadcrumbs, Tabs, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useEffect, useState, type ReactNode } from 'react';
import type { Case } from '../../../../shared/contract';
import { CASE_TABS, TAB_LABELS, type CaseTab } from '../../app/route';
import { call } from '../../lib/api';
import { SHORTCUTS } from '../../lib/shortcuts';

/** What a case tab needs: its panel, or null while its service is not part of this build (the tab is left out). */
export type TabPanels = Readonly<Partial<Record<CaseTab, (c: Case) => ReactNode>>>;

/** The screens this build can show: a tab appears only once the service behind it exists in the contract. */
function availablePanels(): TabPanels {
  return {};
}

/** One case: breadcrumb back to the list and a tab per area (Ctrl+1 … Ctrl+6). */
export function CaseView(props: {
  readonly caseId: string;
  readonly tab: CaseTab;
  readonly onTab: (tab: CaseTab) => void;
  readonly onBack: () => void;
}) {
  const [theCase, setCase] = useState<Case | null>(null);
  const [error, setError] = useState<string | null>(null);
  const panels = availablePanels();
  const tabs = CASE_TABS.filter((t) => panels[t]);
  const keys = [
    SHORTCUTS.tab1,
    SHORTCUTS.tab2,
    SHORTCUTS.tab3,
    SHORTCUTS.tab4,
    SHORTCUTS.tab5,
    SHORTCUTS.tab6,
  ];

  useHotkeys(
    CASE_TABS.map((t, i) => [keys[i]?.keys ?? '', () => panels[t] && props.onTab(t)] as [string, () => void]),
  );

  useEffect(() => {
    let live = true;
    call('cases.list', {}).then(
      (list) => {
        if (!live) return;
        const found = list.find((c) => c.id === props.caseId);
        if (found) setCase(found);
        else setError('This case no longer exists.');
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [props.caseId]);

  const active = tabs.includes(props.tab) ? props.tab : tabs[0];
  return (
    <section aria-labelledby="case-title">
      <Breadcrumbs mb={4} fz="sm">
        <Anchor component="button" onClick={props.onBack} fz="sm">
          Cases
        </Anchor>
        <Text size="sm">{theCase?.name ?? '…'}</Text>
      </Breadcrumbs>
      <Title order={2} size="h5" id="case-title" mb="xs">
        {theCase?.name ?? 'Case'}
      </Title>
      {error && (
        <Text c="red" role="alert">
          {error}
        </Text>
      )}
      {theCase && tabs.length === 0 && (
        <Text c="dimmed" size="sm">
          This build has no case tools yet (evidence, faces, runs, comparison, reports, audit).
        </Text>
      )}
      {theCase && active && (
        <Tabs value={active} onChange={(v) => v && props.onTab(v as CaseTab)} keepMounted={false}>
          <Tabs.List>
            {tabs.map((t) => (
              <Tabs.Tab key={t} value={t}>
                {TAB_LABELS[t]}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {tabs.map((t) => (
            <Tabs.Panel key={t} value={t} pt="xs">
              {panels[t]?.(theCase)}
            </Tabs.Panel>
          ))}
        </Tabs>
      )}
    </section>
  );
}
