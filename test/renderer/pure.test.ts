/** The renderer's pure helpers: uncertainty map, run estimate, seeds, formatting, shortcut display. */
import { describe, expect, it } from 'vitest';
import { colourise, uncertaintyMap, type Rgba } from '../../src/renderer/src/lib/uncertainty';
import {
  estimateMs,
  nfePerCandidate,
  PRESETS,
  randomSeed,
} from '../../src/renderer/src/features/runs/presets';
import { formatDuration, formatEstimate } from '../../src/renderer/src/lib/format';
import { displayKeys, SHORTCUTS } from '../../src/renderer/src/lib/shortcuts';
import { SeedString } from '../../src/shared/contract';

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
  it('counts N x (evaluations per step + M) per candidate', () => {
    expect(nfePerCandidate(PRESETS['sde-vecs'], 2000, 1)).toBe(4000);
    expect(estimateMs(PRESETS['sde-ve'], 2000, 0, 4, 12)).toBe(96_000);
    expect(estimateMs(PRESETS.fast, null, 0, 4, 12)).toBeNull();
    expect(estimateMs(PRESETS['sde-ve'], 2000, 0, 4, null)).toBeNull();
  });
  it('draws valid 64-bit seeds that differ', () => {
    const seeds = Array.from({ length: 20 }, randomSeed);
    for (const s of seeds) expect(SeedString.safeParse(s).success).toBe(true);
    expect(new Set(seeds).size).toBe(20);
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
