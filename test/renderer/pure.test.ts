/** The renderer's pure helpers: uncertainty map, run estimate, seeds, formatting, shortcut display. */
import { describe, expect, it } from 'vitest';
import { colourise, uncertaintyMap, type Rgba } from '../../src/renderer/src/lib/uncertainty';
import { costFor, estimateMs } from '../../src/renderer/src/features/runs/presets';
import { formatDuration, formatEstimate } from '../../src/renderer/src/lib/format';
import { displayKeys, SHORTCUTS } from '../../src/renderer/src/lib/shortcuts';
import { SeedString, type NfeCost } from '../../src/shared/contract';

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
