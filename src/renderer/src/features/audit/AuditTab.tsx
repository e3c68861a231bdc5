import { Button, Group, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type {
  AuditEvent,
  Case,
  Comparison,
  Evidence,
  Face,
  Report,
  Run,
  VerifyResult,
} from '../../../../shared/contract';
import { shortHash } from '../../lib/format';
import { call } from '../../lib/api';
import { comparisonSubject, faceNames, reportName, runName } from '../cases/names';
import { AnchorCheck } from './AnchorCheck';
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

/**
 * Names for the subjects of a case's events, each by what it is: the case by its name, evidence by file name and
 * short hash, faces by their number within their file, runs by title, comparisons by what they scored and
 * against which reference, reports by format, scope, file name and short hash. An id none of these know (a thing
 * of another case, or a kind added later) stays as it is.
 */
export function subjectNames(
  theCase: Case,
  evidence: readonly Evidence[],
  faces: readonly Face[],
  runs: readonly Run[],
  comparisons: readonly Comparison[] = [],
  reports: readonly Report[] = [],
): (subject: string) => string {
  const names = new Map<string, string>([[theCase.id, `case "${theCase.name}"`]]);
  const file = new Map(evidence.map((e) => [e.id, e.originalName]));
  for (const e of evidence) names.set(e.id, `${e.role} ${e.originalName} (${shortHash(e.sha256)})`);
  for (const [id, name] of faceNames(faces, evidence)) names.set(id, name);
  for (const r of runs) names.set(r.id, runName(r, runs));
  for (const c of comparisons) {
    const ref = file.get(c.referenceEvidenceId) ?? 'a reference photo';
    names.set(c.id, `comparison of ${comparisonSubject(c, runs, evidence)} with ${ref}`);
  }
  for (const r of reports) names.set(r.id, reportName(r, runs));
  return (subject) => names.get(subject) ?? subject;
}

/** The audit tab: the case's event log and a fresh chain check each time it opens (or on demand). */
export function AuditTab(props: {
  readonly theCase: Case;
  readonly evidence: readonly Evidence[];
  readonly faces: readonly Face[];
  readonly runs: readonly Run[];
  readonly comparisons: readonly Comparison[];
  readonly reports: readonly Report[];
}) {
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
          Every change is a hash-linked event, its head signed with this installation's key; the check
          recomputes the chain, checks the signatures and re-hashes stored files.
        </Text>
      </Group>
      <AnchorCheck caseId={caseId} />
      {error && (
        <Text c="red" role="alert" size="sm">
          {error}
        </Text>
      )}
      <AuditLog
        events={events}
        status={status}
        describe={subjectNames(
          props.theCase,
          props.evidence,
          props.faces,
          props.runs,
          props.comparisons,
          props.reports,
        )}
      />
    </Stack>
  );
}
