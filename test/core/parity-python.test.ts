/**
 * Cross-language parity: the vectors in test/fixtures/parity/ are written by the Python training package
 * (`python3 -m training.make_parity`, an implementation separate from the TypeScript core) from the same specs
 * (docs/specs/c2-lr-operator.md, docs/specs/c5-noise.md). The TypeScript core must reproduce them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conditioning, downscaleX8, formLr } from '../../src/core/image/lr';
import type { RgbImage } from '../../src/core/image/types';
import { createNoiseStream, parseSeed } from '../../src/core/sampling/noise';

const load = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../fixtures/parity/${name}`, import.meta.url), 'utf8')) as T;

interface NoiseCase {
  seed: string;
  candidate: number;
  n: number;
  first: number[];
  second: number[];
  first_last: number[];
  sum_first: number;
}
interface Formula {
  a: number;
  b: number;
  c: number;
  m: number;
  off: number;
  div: number;
}
interface C2Case {
  name: string;
  downscale: number[];
  lr_u8: number[];
  y_strided: number[];
  y_sum: number;
  y_sum_sq: number;
  formula?: Formula;
  hr_u8?: number[];
}

const f32 = (v: number): number => Math.fround(v);

/** The HR image of a case, built exactly as the fixture's `hr` field describes. */
function hrOf(c: C2Case): RgbImage {
  const data = new Float32Array(128 * 128 * 3);
  if (c.hr_u8) {
    c.hr_u8.forEach((v, i) => (data[i] = v / 255));
  } else {
    const { a, b, c: cc, m, off, div } = c.formula!;
    for (let y = 0; y < 128; y++)
      for (let x = 0; x < 128; x++)
        for (let ch = 0; ch < 3; ch++) {
          const v = (a * x + b * y + cc * ch + ((x * y) % m)) % 256;
          data[(y * 128 + x) * 3 + ch] = (v - off) / div;
        }
  }
  return { width: 128, height: 128, data };
}

describe('parity with the Python implementation (training/)', () => {
  const noise = load<{ cases: NoiseCase[] }>('noise.json');
  it.each(noise.cases.map((c) => [`seed ${c.seed}, candidate ${c.candidate}, n ${c.n}`, c] as const))(
    'C5 normals: %s',
    (_name, c) => {
      const stream = createNoiseStream(parseSeed(c.seed), c.candidate);
      const first = stream.next(c.n);
      const second = stream.next(c.n);
      expect(Array.from(first.subarray(0, c.first.length))).toEqual(c.first.map(f32));
      expect(Array.from(second.subarray(0, c.second.length))).toEqual(c.second.map(f32));
      expect(Array.from(first.subarray(c.n - c.first_last.length))).toEqual(c.first_last.map(f32));
      let sum = 0;
      for (const v of first) sum += v;
      expect(sum).toBeCloseTo(c.sum_first, 9);
    },
  );

  const c2 = load<{ cases: C2Case[] }>('c2.json');
  it.each(c2.cases.map((c) => [c.name, c] as const))('C2 downscale, LR and conditioning: %s', (_name, c) => {
    const hr = hrOf(c);
    expect(Array.from(downscaleX8(hr).data)).toEqual(c.downscale.map(f32));
    const lr = formLr(hr);
    expect(Array.from(lr.data, (v) => Math.round(v * 255))).toEqual(c.lr_u8);
    const y = conditioning(lr).data;
    const strided: number[] = [];
    for (let i = 0; i < y.length; i += 37) strided.push(y[i]!);
    expect(strided).toEqual(c.y_strided.map(f32));
    let s = 0;
    let s2 = 0;
    for (const v of y) {
      s += v;
      s2 += v * v;
    }
    expect(s).toBeCloseTo(c.y_sum, 6);
    expect(s2).toBeCloseTo(c.y_sum_sq, 6);
  });
});
