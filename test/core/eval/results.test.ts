import { describe, expect, it } from 'vitest';
import { summariseMethod } from '../../../src/core/eval/aggregate';
import { allFigures } from '../../../src/core/eval/figures';
import { EvalResultsSchema } from '../../../src/core/eval/schema';
import { logTicks, niceTicks } from '../../../src/core/eval/svg-plot';
import { formatMeanStd, markdownReport, markdownTable } from '../../../src/core/eval/table';
import { fakeResults } from './fixture';

describe('summariseMethod', () => {
  it('gives mean ± std per metric, the rank-1 rate and Pearson of CS vs PSNR', () => {
    const r = fakeResults(4);
    const s = r.methods[0]!.summary; // psnr 20..23, ssim .5..,.53, hits at faces 1 and 3
    expect(s.psnr.mean).toBeCloseTo(21.5, 12);
    expect(s.psnr.std).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(s.psnr.n).toBe(4);
    expect(s.rank1).toBe(0.5);
    expect(s.pearsonCsPsnr).toBeCloseTo(1, 9);
    expect(() => summariseMethod([])).toThrow(/no faces/);
    // Streak column: this method's mean gradient ratio (1.35 over 4 faces at base 20) over the HR's (2.05).
    expect(s.gradientRatio?.mean).toBeCloseTo(1.35, 12);
    expect(s.streak).toBeCloseTo(1.35 / 2.05, 12);
    expect(r.methods[1]!.summary.streak).toBeCloseTo(1, 12);
    // Without an HR reference, or without ratios (results from before the check), there is no streak.
    expect(summariseMethod(r.methods[0]!.perFace).streak).toBeUndefined();
    const old = summariseMethod(
      r.methods[0]!.perFace.map(({ gradientRatio: _, ...f }) => f),
      2,
    );
    expect(old.gradientRatio).toBeUndefined();
    expect(old.streak).toBeUndefined();
  });
});

describe('EvalResultsSchema', () => {
  it('accepts a well-formed results object', () => {
    expect(EvalResultsSchema.safeParse(fakeResults(3)).success).toBe(true);
  });
  it('accepts results written before the streak check and the peer rows', () => {
    const r = fakeResults(3);
    for (const m of r.methods) {
      for (const f of m.perFace) delete (f as { gradientRatio?: number }).gradientRatio;
      delete m.summary.gradientRatio;
      delete m.summary.streak;
    }
    expect(EvalResultsSchema.safeParse(r).success).toBe(true);
    const peer = fakeResults(3);
    peer.methods.push({ ...peer.methods[0]!, id: 'esrgan-thick-x8', kind: 'peer' });
    peer.protocol.peers = [
      { id: 'esrgan-thick-x8', package: 'p', version: '1.0.0', sha256: 'a'.repeat(64), note: '' },
    ];
    expect(EvalResultsSchema.safeParse(peer).success).toBe(true);
    expect(markdownReport(peer)).toMatch(/Peer: `esrgan-thick-x8` from p@1\.0\.0/);
  });
  it('rejects duplicate methods, missing faces, unknown models and bad hashes', () => {
    const dup = fakeResults(3);
    dup.methods.push(dup.methods[0]!);
    expect(EvalResultsSchema.safeParse(dup).error?.message).toMatch(/Duplicate method id bicubic/);
    const short = fakeResults(3);
    short.methods[1]!.perFace.pop();
    expect(EvalResultsSchema.safeParse(short).error?.message).toMatch(/scores 2 faces, not 3/);
    const unknown = fakeResults(3);
    unknown.methods[2]!.modelId = 'other';
    expect(EvalResultsSchema.safeParse(unknown).error?.message).toMatch(/unknown model other/);
    const bad = fakeResults(3);
    (bad.protocol.faces[0] as { hrSha256: string }).hrSha256 = 'xyz';
    expect(EvalResultsSchema.safeParse(bad).success).toBe(false);
  });
});

describe('Markdown', () => {
  it('formats rows in the paper layout', () => {
    expect(formatMeanStd(23.456, 1.2, 2)).toBe('23.46 ± 1.20');
    const t = markdownTable(fakeResults(2).methods.slice(0, 1)).split('\n');
    expect(t[0]).toBe(
      '| Method | PSNR (dB) ↑ | SSIM ↑ | Consistency ↓ | CS ↑ | Rank-1 ↑ | NFE | Streak ≈1 |',
    );
    // Streak: bicubic's mean ratio 1.25 over the HR's 1.95.
    expect(t[2]).toBe(
      '| bicubic | 20.50 ± 0.71 | 0.505 ± 0.007 | 0.750 ± 0.354 | 0.630 ± 0.014 | 50.0 % | 0 | 0.641 |',
    );
    const old = fakeResults(2).methods[0]!;
    const noStreak = { ...old, summary: { ...old.summary, streak: undefined } };
    expect(markdownTable([noStreak]).split('\n')[2]).toMatch(/\| 0 \| – \|$/);
  });
  it('labels a model not trained on faces and lists each experiment', () => {
    const md = markdownReport(fakeResults(2));
    expect(md).toMatch(/Not the method’s results/);
    expect(md).toMatch(/Model `tiny` is not trained on faces/);
    expect(md).toMatch(/## SDE-VEcs against r/);
    expect(md).toMatch(/## Quality against NFE/);
    expect(markdownReport(fakeResults(2, true))).toMatch(
      /Embedder `pixels` is not a face-recognition network/,
    );
  });
});

describe('figures', () => {
  it('round ticks cover the range', () => {
    expect(niceTicks(0.05, 0.6)).toEqual([0, 0.2, 0.4, 0.6]);
    expect(niceTicks(21.3, 23.9)).toEqual([21, 22, 23, 24]);
    expect(niceTicks(0.91, 0.97)).toEqual([0.9, 0.92, 0.94, 0.96, 0.98]);
  });
  it('draws Fig. 4, Fig. 5 and quality vs NFE with the test-model caption', () => {
    const figs = allFigures(fakeResults(3));
    expect(figs.map((f) => f.name)).toEqual(['fig4-r-sweep', 'fig5-cs-psnr', 'quality-vs-nfe']);
    for (const f of figs) {
      expect(f.svg.startsWith('<svg')).toBe(true);
      expect(f.svg).toMatch(/NOT trained on faces/);
      expect(f.svg).not.toMatch(/NaN/);
    }
    // Fig. 4: one SDE-VEcs polyline through the two r values plus the bicubic reference, in each of 2 panels.
    expect(figs[0]!.svg.match(/<polyline/g)).toHaveLength(4);
    // Fig. 5: per-face scatter of bicubic + the table model (3 faces each) + legend markers.
    expect(figs[1]!.svg).toMatch(/Pearson r = /);
  });
  it('omits sweeps that did not run', () => {
    const r = fakeResults(2);
    r.methods = r.methods.filter((m) => m.tags.every((t) => t.experiment === 'table'));
    expect(allFigures(r).map((f) => f.name)).toEqual(['fig5-cs-psnr']);
  });
});

describe('infinite PSNR (the HR against itself)', () => {
  it('is left out of the mean and shown as ∞', () => {
    const r = fakeResults(2);
    const hr = r.methods[1]!;
    const perFace = hr.perFace.map((f) => ({ ...f, psnr: null }));
    const s = summariseMethod(perFace);
    expect(s.psnr).toEqual({ mean: null, std: null, n: 0 });
    expect(s.pearsonCsPsnr).toBeNull();
    expect(markdownTable([{ ...hr, perFace, summary: s }])).toMatch(/\| hr \| ∞ \| 0\.505/);
    const mixed = summariseMethod([perFace[0]!, r.methods[0]!.perFace[1]!]);
    expect(mixed.psnr).toEqual({ mean: 21, std: 0, n: 1 });
  });
});

describe('log axis', () => {
  it('gives 1-2-5 ticks per decade covering the range', () => {
    expect(logTicks(3, 35)).toEqual([2, 5, 10, 20, 50]);
    expect(logTicks(10, 2000)).toEqual([10, 20, 50, 100, 200, 500, 1000, 2000]);
  });
});
