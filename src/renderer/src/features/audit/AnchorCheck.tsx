import { Button, Group, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { parseAnchor } from '../../../../shared/anchor';
import type { AnchorResult } from '../../../../shared/contract';
import { call } from '../../lib/api';

/**
 * Checks an anchor (a head printed in an earlier report or export, `SEQ:HASH`) against the case's chain today,
 * through the same service as `facet audit verify --anchor`: still there and unchanged, or the first difference.
 */
export function AnchorCheck(props: { readonly caseId: string }) {
  const [text, setText] = useState('');
  const [result, setResult] = useState<AnchorResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const anchor = parseAnchor(text);
  const check = () => {
    if (!anchor) return;
    setResult(null);
    setError(null);
    call('audit.checkAnchor', { caseId: props.caseId, ...anchor }).then(setResult, (e: Error) =>
      setError(e.message),
    );
  };
  return (
    <Group gap="xs" align="flex-end">
      <TextInput
        label="Anchor from a report (SEQ:HASH)"
        placeholder="12:3f5a…"
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        error={text && !anchor ? 'SEQ:HASH, the hash as 64 hex digits' : undefined}
        w={420}
        size="xs"
      />
      <Button variant="default" size="xs" disabled={!anchor} onClick={check}>
        Check anchor
      </Button>
      {result && (
        <Text size="sm" c={result.ok ? 'green' : 'red'} role="status">
          {result.ok
            ? `Anchor ${result.seq} is in today's chain (head ${result.headSeq}) and nothing up to it changed${result.signedBy ? `; signed by key ${result.signedBy.slice(0, 16)}…` : ''}.`
            : `Anchor fails: first difference at event ${result.firstDifference}: ${result.reason}`}
        </Text>
      )}
      {error && (
        <Text c="red" role="alert" size="sm">
          {error}
        </Text>
      )}
    </Group>
  );
}
