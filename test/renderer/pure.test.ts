/** The renderer's pure helpers: uncertainty map, run estimate, seeds, formatting, shortcut display. */
import { describe, expect, it } from 'vitest';
import { colourise, uncertaintyMap, type Rgba } from '../../src/renderer/src/lib/uncertainty';
import { costFor, estimateMs } from '../../src/renderer/src/features/runs/presets';
import { formatDuration, formatEstimate, isoUtc, isoWithOffset } from '../../src/renderer/src/lib/format';
import { metricLabel } from '../../src/renderer/src/features/runs/runLabels';
import { isAiGenerated, provenanceCaption, runTitle } from '../../src/shared/labels';
import { displayKeys, SHORTCUTS } from '../../src/renderer/src/lib/shortcuts';
import { SeedString, type NfeCost } from '../../src/shared/contract';
import { sweepAxis } from '../../src/renderer/src/lib/sweepAxis';

function solid(w: number, h: number, rgb: readonly [number, number, number]): Rgba {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let p = 0; p < w * h; p++) data.set([...rgb, 255], p * 4);
  return { width: w, height: h, data };
}

describe('uncertainty map', () => {
  it('is the population std over candidates, averaged over RGB', () => {
    const a = solid(2, 1, [0, 0, 0]);
    const b = solid(2, 1, [100, 50, 0]);
    b.data.set([0, 0, 0, 255], 4); // second pixel equal in both
    const map = uncertaintyMap([a, b]);
    // std of {0,100} = 50, of {0,50} = 25, of {0,0} = 0 -> mean 25.
    expect([...map.std]).toEqual([25, 0]);
    expect(map.max).toBe(25);
    expect(map.mean).toBe(12.5);
    const c = colourise(map);
    expect([...c.data.slice(4, 8)]).toEqual([0, 0, 0, 255]);
    expect(c.data[0]).toBe(255);
  });
  it('refuses fewer than two or mismatched candidates', () => {
    expect(() => uncertaintyMap([solid(1, 1, [0, 0, 0])])).toThrow(/two candidates/);
    expect(() => uncertaintyMap([solid(1, 1, [0, 0, 0]), solid(2, 1, [0, 0, 0])])).toThrow(/same size/);
  });
});

describe('run estimate and seeds', () => {
  it("multiplies the plan's network evaluations of the batch by the measured ms per evaluation", () => {
    expect(estimateMs(4000, 12)).toBe(48_000);
    expect(estimateMs(null, 12)).toBeNull();
    expect(estimateMs(2000, null)).toBeNull();
  });
  it('rejects a non-numeric seed with the message, not a crash', () => {
    const r = SeedString.safeParse('12abc');
    expect(r.success).toBe(false);
    expect(SeedString.safeParse('18446744073709551616').success).toBe(false);
  });
});

describe('formatting', () => {
  it('formats durations and estimates for people', () => {
    expect(formatDuration(4000)).toBe('0:04');
    expect(formatDuration(3_729_000)).toBe('1:02:09');
    expect(formatEstimate(96_000)).toBe('about 2 min');
    expect(formatEstimate(500)).toBe('about 1 s');
  });
  it('shows hotkeys as people read them', () => {
    expect(displayKeys(SHORTCUTS.help.keys, false)).toBe('?');
    expect(displayKeys(SHORTCUTS.theme.keys, false)).toBe('Ctrl + Shift + L');
    expect(displayKeys(SHORTCUTS.tab1.keys, true)).toBe('⌘ + 1');
  });
});

describe('measured cost', () => {
  it('uses only a cost measured for this model, provider and batch, runs before benchmarks', () => {
    const base = { modelId: 'big-vp', provider: 'cpu', batch: 4, samples: 1 } as const;
    const costs: NfeCost[] = [
      { ...base, msPerNfe: 9, source: 'benchmark' },
      { ...base, msPerNfe: 7, source: 'runs' },
    ];
    expect(costFor(costs, 'big-vp', 'cpu', 4)?.msPerNfe).toBe(7);
    expect(costFor(costs, 'big-vp', 'cpu', 2)).toBeNull();
    expect(costFor(costs, 'big-vp', 'cuda', 4)).toBeNull();
    expect(costFor(costs, 'small-vp', 'cpu', 4)).toBeNull();
  });
});

describe('times and labels', () => {
  const at = '2026-12-02T04:08:13.250Z';

  it('writes an instant as ISO 8601 with the offset of the zone, UTC on hover', () => {
    expect(isoWithOffset(at, 60)).toBe('2026-12-02T05:08:13+01:00');
    expect(isoWithOffset(at, -330)).toBe('2026-12-01T22:38:13-05:30');
    expect(isoWithOffset(at, 0)).toBe('2026-12-02T04:08:13+00:00');
    expect(isoUtc(at)).toBe('2026-12-02T04:08:13Z');
    // In the test process's own zone: the same instant, offset included.
    const local = isoWithOffset(at);
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    expect(Date.parse(local)).toBe(Date.parse('2026-12-02T04:08:13Z'));
  });

  it('names runs and images one way', () => {
    expect(runTitle(3, 'sde-ve', 4, '7')).toBe('Run 3 · SDE-VE · 4 candidates · seed 7');
    expect(runTitle(1, 'fast', 1, '2')).toBe('Run 1 · Fast · 1 candidate · seed 2');
    expect(provenanceCaption('bicubic')).toBe('Bicubic interpolation — no AI');
    expect(provenanceCaption('candidate', 2, 4)).toBe(
      'AI-generated candidate 2 of 4 — not evidence of identity',
    );
    expect(provenanceCaption('uncertainty')).toBe(
      'Uncertainty: per-pixel spread of the candidates (black 0, white 63.75 or more 8-bit levels of std)',
    );
    expect(provenanceCaption('mean', 1, 4)).toMatch(/^Mean of the 4 AI-generated candidates — not evidence/);
    expect(['lr', 'bicubic', 'uncertainty', 'reference'].map((k) => isAiGenerated(k as 'lr'))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(isAiGenerated('candidate') && isAiGenerated('mean')).toBe(true);
  });

  it('shows metrics with unit and direction', () => {
    expect(metricLabel('consistency', 4.83, 22.71).value).toBe(
      '4.8 MSE — lower is closer to the input; bicubic 22.7',
    );
    expect(metricLabel('meanStd', 0.02).value).toBe('5.1 levels');
  });
});

describe('r sweep axis', () => {
  it('starts at the stated baseline, not at the lowest value, and says so with the unit and the spread', () => {
    // Consistency 12.3 to 12.5: a 0.2 difference drawn from 0, not magnified to the full height.
    const a = sweepAxis([12.31, 12.51, 12.4], {
      metric: 'Consistency',
      unit: 'MSE, 8-bit levels²',
      baseline: 0,
    });
    expect(a.domain[0]).toBe(0);
    expect(a.domain[1]).toBeGreaterThan(12.51);
    expect(a.domain[1]).toBeLessThan(14);
    // The difference takes under 2 % of the axis.
    expect((12.51 - 12.31) / (a.domain[1] - a.domain[0])).toBeLessThan(0.02);
    expect(a.label).toBe('Consistency (MSE, 8-bit levels²) · axis from 0');
    expect(a.spread).toBe('spread across r: 0.20 (12.31 to 12.51)');
  });

  it("uses a cosine's fixed top and goes below the baseline only for a value below it", () => {
    const cs = { metric: 'CS', unit: 'cosine', baseline: 0, top: 1, digits: 3 };
    expect(sweepAxis([0.41, 0.43], cs).domain).toEqual([0, 1]);
    const neg = sweepAxis([-0.2, 0.1], cs);
    expect(neg.domain).toEqual([-0.2, 1]);
    expect(neg.label).toBe('CS (cosine) · axis from -0.2');
    expect(neg.spread).toBe('spread across r: 0.300 (-0.200 to 0.100)');
  });
});
