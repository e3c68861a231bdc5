/** The re-run verdict shared by the app, the CLI and the report. */
import { describe, expect, it } from 'vitest';
import { rerunLine, rerunVerdict, verdictText } from '../../src/shared/rerun';

const out = (kind: string, index: number, px: string) => ({ kind, index, pixelsSha256: px.padEnd(64, '0') });
const run = (id: string, outputs: ReturnType<typeof out>[], status = 'done') => ({ id, status, outputs });

describe('re-run verdict', () => {
  const a = run('a', [out('candidate', 0, 'aa'), out('candidate', 1, 'bb'), out('bicubic', 0, 'cc')]);
  it('says identical with N of N', () => {
    const v = rerunVerdict(a, run('b', [...a.outputs]));
    expect(verdictText(v)).toBe('identical: 3 of 3 outputs match');
    expect(rerunLine('run 1', v)).toBe('Re-run of run 1: identical: 3 of 3 outputs match');
  });
  it('names the first difference, 1-based', () => {
    const v = rerunVerdict(a, run('b', [a.outputs[0]!, out('candidate', 1, 'ff'), a.outputs[2]!]));
    expect(verdictText(v)).toMatch(/^differs: 2 of 3 outputs match; first difference: candidate 2 differs/);
    expect(verdictText(rerunVerdict(a, run('b', a.outputs.slice(0, 2))))).toMatch(
      /bicubic 1 is missing from the re-run/,
    );
  });
  it('waits for the re-run to finish', () => {
    expect(rerunVerdict(a, run('b', [], 'running'))).toEqual({ kind: 'pending' });
  });
});
