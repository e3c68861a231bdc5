/**
 * The committed C2/C5 parity vectors (tools/fixtures/core-parity-vectors.ts; checked bit-for-bit against an
 * independent Python implementation by tools/fixtures/check_parity_vectors.py) still match the TypeScript core, so
 * a change that would break cross-language parity fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conditioning, downscaleX8, formLr } from '../../src/core/image/lr';
import { createNoiseStream, parseSeed, philox4x32 } from '../../src/core/sampling/noise';

const doc = JSON.parse(
  readFileSync(new URL('../fixtures/core/parity-vectors.json', import.meta.url), 'utf8'),
) as {
  philox: { counter: number[]; key: number[]; output: number[] }[];
  noise: { seed: string; candidate: number; draws: number[]; normals: number[][] }[];
  c2: {
    hr: { width: number; height: number; data: number[] };
    downscale: number[];
    lr: number[];
    conditioning: number[];
  };
};

describe('C2/C5 parity vectors', () => {
  it('Philox blocks and C5 normals are bit-identical', () => {
    for (const p of doc.philox) expect(Array.from(philox4x32(p.counter, p.key))).toEqual(p.output);
    for (const c of doc.noise) {
      const s = createNoiseStream(parseSeed(c.seed), c.candidate);
      c.draws.forEach((n, i) => expect(Array.from(s.next(n))).toEqual(c.normals[i]));
    }
  });

  it('C2 downscale, LR and conditioning are bit-identical', () => {
    const hr = { width: doc.c2.hr.width, height: doc.c2.hr.height, data: Float32Array.from(doc.c2.hr.data) };
    expect(Array.from(downscaleX8(hr).data)).toEqual(doc.c2.downscale);
    const lr = formLr(hr);
    expect(Array.from(lr.data)).toEqual(doc.c2.lr);
    expect(Array.from(conditioning(lr).data)).toEqual(doc.c2.conditioning);
  });
});
