import { describe, expect, it } from 'vitest';
import { summariseComparisons } from '../../src/shared/comparisons';
import type { Comparison, Run } from '../../src/shared/contract';

const output = (id: string, kind: 'candidate' | 'mean', index: number) => ({
  id,
  kind,
  index,
  sha256: 'a'.repeat(64),
  pixelsSha256: 'b'.repeat(64),
  width: 128,
  height: 128,
  metrics: {},
});

function run(id: string, k: number, queuedAt: string): Run {
  return {
    id,
    caseId: 'c',
    faceId: 'f',
    rerunOf: null,
    device: 'cpu',
    settings: { modelId: 've', preset: 'fast', candidates: k, provider: 'cpu', dataConsistency: false },
    seed: '1',
    record: null,
    status: 'done',
    progress: { step: 1, total: 1 },
    error: null,
    queuedAt,
    startedAt: null,
    finishedAt: null,
    outputs: [
      ...Array.from({ length: k }, (_, i) => output(`${id}-c${i}`, 'candidate', i)),
      ...(k > 1 ? [output(`${id}-mean`, 'mean', 0)] : []),
    ],
  } as Run;
}

let t = 0;
function comparison(outputId: string, ref: string, score: number, lrLog10?: number): Comparison {
  t++;
  return {
    id: `cmp${String(t).padStart(3, '0')}`,
    caseId: 'c',
    outputId,
    probeEvidenceId: null,
    referenceEvidenceId: ref,
    embedderId: 'mobileface',
    embedderSha256: 'e'.repeat(64),
    score,
    calibrationPercentile: null,
    calibration:
      lrLog10 === undefined
        ? {}
        : { lrLog10, lrVerbal: 'v', lrCondition: 'mean of 4', lrCllr: 0.6, lrCalibratedFor: 'mean of 4' },
    createdAt: `2026-12-07T10:00:${String(t).padStart(2, '0')}.000Z`,
  };
}

describe('one declared LR per run and reference', () => {
  const runs = [run('r1', 4, '2026-12-07T09:00:00.000Z'), run('r2', 4, '2026-12-07T09:01:00.000Z')];
  const base = [
    comparison('r1-c0', 'refA', 0.2),
    comparison('r1-c1', 'refA', 0.6),
    comparison('r1-c2', 'refA', 0.1),
    comparison('r1-c3', 'refA', 0.3),
    comparison('r1-mean', 'refA', 0.25, 0.104),
    comparison('r2-mean', 'refB', 0.1, -0.5),
    comparison('r1-mean', 'refB', 0.3, 0.4),
  ];
  const reported = (cs: readonly Comparison[]) =>
    summariseComparisons(cs, runs).map((s) => [s.runId, s.referenceEvidenceId, s.lr?.lrLog10 ?? null]);

  it('reports the candidate mean calibrated LR with the candidates as a spread', () => {
    const [a] = summariseComparisons(base, runs);
    expect(a!.lr!.lrLog10).toBe(0.104);
    expect(a!.meanScore).toBe(0.25);
    expect(a!.spread).toEqual({ n: 4, min: 0.1, median: 0.25, max: 0.6 });
  });

  it('is not changed by sorting, filtering or adding candidates, nor by comparing again', () => {
    const expected = reported(base);
    expect(expected).toEqual([
      ['r1', 'refA', 0.104],
      ['r1', 'refB', 0.4],
      ['r2', 'refB', -0.5],
    ]);
    // Sorted by score, best first, or reversed.
    expect(reported([...base].sort((a, b) => b.score - a.score))).toEqual(expected);
    expect(reported([...base].reverse())).toEqual(expected);
    // Candidate rows filtered out.
    expect(reported(base.filter((c) => !c.outputId!.includes('-c')))).toEqual(expected);
    // Candidates added, even with a high score and an LR of their own (as older comparisons carried).
    const more = [...base, comparison('r1-c1', 'refA', 0.99, 2.3), comparison('r1-c0', 'refA', 0.95, 2.0)];
    expect(reported(more)).toEqual(expected);
    // The same run compared again: the first declared comparison stands.
    expect(reported([...base, comparison('r1-mean', 'refA', 0.9, 2.3)])).toEqual(expected);
  });

  it('withholds the LR of a run that is not 4 candidates', () => {
    const r3 = run('r3', 2, '2026-12-07T09:02:00.000Z');
    const s = summariseComparisons([comparison('r3-c0', 'refA', 0.5)], [r3]);
    expect(s[0]!.lr).toBeNull();
    expect(s[0]!.lrWithheld).toMatch(/exactly 4 candidates; this run has 2/);
  });
});
