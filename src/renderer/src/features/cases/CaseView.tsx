import { Anchor, Badge, Breadcrumbs, Button, Group, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { Case, Run } from '../../../../shared/contract';
import { CASE_TABS, TAB_LABELS, type CaseTab } from '../../app/route';
import { call } from '../../lib/api';
import { SHORTCUTS } from '../../lib/shortcuts';
import { useCall } from '../../lib/useCall';
import { AuditTab } from '../audit/AuditTab';
import { CompareTab } from '../compare/CompareTab';
import { EvidenceTab } from '../evidence/EvidenceTab';
import { FacesTab } from '../faces/FacesTab';
import { ReportsTab } from '../reports/ReportsTab';
import { RunsTab } from '../runs/RunsTab';
import { byQueueOrder } from '../runs/runLabels';
import { isTestModelRun } from './names';

const TAB_KEYS = [
  SHORTCUTS.tab1,
  SHORTCUTS.tab2,
  SHORTCUTS.tab3,
  SHORTCUTS.tab4,
  SHORTCUTS.tab5,
  SHORTCUTS.tab6,
];

/** One case: name (rename, close/reopen) and a tab per area (Ctrl+1 … Ctrl+6). */
export function CaseView(props: {
  readonly caseId: string;
  readonly tab: CaseTab;
  readonly onTab: (tab: CaseTab) => void;
  readonly onBack: () => void;
}) {
  const { caseId } = props;
  const theCase = useCall('cases.get', { caseId }, caseId);
  const evidence = useCall('evidence.list', { caseId }, caseId);
  const faces = useCall('faces.list', { caseId }, caseId);
  const runs = useCall('runs.list', { caseId }, caseId);
  const comparisons = useCall('comparisons.list', { caseId }, caseId);
  const reports = useCall('reports.list', { caseId }, caseId);
  // The score models, to flag a run of a test model wherever its outputs are shown or listed.
  const models = useCall('models.list', {}, 'models');
  const testModel = (r: Run): boolean => isTestModelRun(r, models.data?.models);

  // Opening a tab refetches what it shows, so changes made elsewhere (another window, the CLI) appear.
  const refresh: Readonly<Record<CaseTab, readonly (() => void)[]>> = {
    evidence: [evidence.reload],
    faces: [faces.reload, evidence.reload],
    runs: [runs.reload, faces.reload, evidence.reload],
    compare: [comparisons.reload, runs.reload, faces.reload, evidence.reload, models.reload],
    reports: [reports.reload, runs.reload, models.reload],
    audit: [evidence.reload, faces.reload, runs.reload, comparisons.reload, reports.reload],
  };
  const openTab = (t: CaseTab) => {
    refresh[t].forEach((r) => r());
    props.onTab(t);
  };

  useHotkeys(CASE_TABS.map((t, i) => [TAB_KEYS[i]?.keys ?? '', () => openTab(t)] as [string, () => void]));

  const c = theCase.data;
  const panels: Readonly<Record<CaseTab, (c: Case) => ReactNode>> = {
    evidence: (c) => <EvidenceTab theCase={c} evidence={evidence} />,
    faces: (c) => <FacesTab theCase={c} evidence={evidence.data ?? []} faces={faces} />,
    runs: (c) => <RunsTab theCase={c} faces={faces.data ?? []} evidence={evidence.data ?? []} runs={runs} />,
    compare: (c) => (
      <CompareTab
        theCase={c}
        runs={byQueueOrder(runs.data ?? [])}
        evidence={evidence.data ?? []}
        faces={faces.data ?? []}
        comparisons={comparisons}
        testModel={testModel}
      />
    ),
    reports: (c) => (
      <ReportsTab theCase={c} runs={byQueueOrder(runs.data ?? [])} reports={reports} testModel={testModel} />
    ),
    audit: (c) => (
      <AuditTab
        theCase={c}
        evidence={evidence.data ?? []}
        faces={faces.data ?? []}
        runs={runs.data ?? []}
        comparisons={comparisons.data ?? []}
        reports={reports.data ?? []}
      />
    ),
  };

  return (
    <section aria-labelledby="case-title">
      <Breadcrumbs mb={4} fz="sm">
        <Anchor component="button" onClick={props.onBack} fz="sm">
          Cases
        </Anchor>
        <Text size="sm">{c?.name ?? '…'}</Text>
      </Breadcrumbs>
      {theCase.error && (
        <Text c="red" role="alert">
          {theCase.error}
        </Text>
      )}
      {c && <CaseHeader theCase={c} onChanged={theCase.reload} />}
      {c && (
        <Tabs value={props.tab} onChange={(v) => v && openTab(v as CaseTab)} keepMounted={false} mt="xs">
          <Tabs.List>
            {CASE_TABS.map((t) => (
              <Tabs.Tab key={t} value={t}>
                {TAB_LABELS[t]}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {CASE_TABS.map((t) => (
            <Tabs.Panel key={t} value={t} pt="xs">
              {panels[t](c)}
            </Tabs.Panel>
          ))}
        </Tabs>
      )}
    </section>
  );
}

/** The case title with rename and close / reopen. */
function CaseHeader(props: { readonly theCase: Case; readonly onChanged: () => void }) {
  const c = props.theCase;
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(c.name);
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      setEditing(false);
      props.onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const rename = (e: FormEvent) => {
    e.preventDefault();
    void run(() => call('cases.rename', { caseId: c.id, name }));
  };
  return (
    <Group gap="xs" align="center">
      {editing ? (
        <form onSubmit={rename}>
          <Group gap={4}>
            <TextInput
              aria-label="Case name"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              w={360}
              autoFocus
            />
            <Button type="submit">Save</Button>
            <Button variant="default" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </Group>
        </form>
      ) : (
        <Title order={2} size="h5" id="case-title">
          {c.name}
        </Title>
      )}
      <Badge size="sm" variant="light" color={c.status === 'open' ? 'green' : 'gray'} tt="none">
        {c.status === 'open' ? 'Open' : 'Closed (read-only)'}
      </Badge>
      {!editing && (
        <Button
          size="compact-xs"
          variant="subtle"
          onClick={() => {
            setName(c.name);
            setEditing(true);
          }}
        >
          Rename
        </Button>
      )}
      <Button
        size="compact-xs"
        variant="subtle"
        onClick={() =>
          run(() => call(c.status === 'open' ? 'cases.close' : 'cases.reopen', { caseId: c.id }))
        }
      >
        {c.status === 'open' ? 'Close case' : 'Reopen case'}
      </Button>
      {error && (
        <Text c="red" size="sm" role="alert">
          {error}
        </Text>
      )}
    </Group>
  );
}
