import { describe, expect, it } from 'vitest';
import { faceSeed, methodId, planMethods, selectFaces } from '../../../src/core/eval/protocol';

const rows = [
  { file: 'a1', identity: 'A' },
  { file: 'b1', identity: 'B' },
  { file: 'a2', identity: 'A' },
  { file: 'c1', identity: 'C' },
  { file: 'a3', identity: 'A' },
  { file: 'b2', identity: 'B' },
];

describe('selectFaces', () => {
  it('puts the first photo of each identity in the gallery and never a probe photo', () => {
    const s = selectFaces(rows, 3);
    expect(s.gallery).toEqual([
      { identity: 'A', file: 'a1' },
      { identity: 'B', file: 'b1' },
      { identity: 'C', file: 'c1' },
    ]);
    expect(s.probes).toEqual([
      { identity: 'A', file: 'a2' },
      { identity: 'B', file: 'b2' },
      { identity: 'A', file: 'a3' },
    ]);
    const galleryFiles = new Set(s.gallery.map((g) => g.file));
    expect(s.probes.every((p) => !galleryFiles.has(p.file))).toBe(true);
  });
  it('is a prefix-stable selection (the first k faces of a larger run are the k-face run)', () => {
    expect(selectFaces(rows, 3).probes.slice(0, 2)).toEqual(selectFaces(rows, 2).probes);
  });
  it('says how many photos exist when asked for too many', () => {
    expect(() => selectFaces(rows, 4)).toThrow(/only 3 photos/);
    expect(() => selectFaces(rows, 0)).toThrow(/positive integer/);
  });
});

describe('faceSeed', () => {
  it('adds the face index to the base seed modulo 2^64', () => {
    expect(faceSeed('41', 1)).toBe('42');
    expect(faceSeed('18446744073709551615', 2)).toBe('1');
  });
});

describe('planMethods', () => {
  it('always includes bicubic and HR, and merges a method asked for twice', () => {
    const plan = planMethods({
      modelIds: ['m'],
      presets: ['fast', 'sde-vecs'],
      pcSteps: 50,
      rSweep: [0.1, 0.2],
      fastSteps: [5, 10],
      pcStepsSweep: [50],
    });
    expect(plan.slice(0, 2).map((m) => m.kind)).toEqual(['bicubic', 'hr']);
    const ids = plan.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('m/sde-vecs[N=50,r=0.1]');
    const swept = planMethods({
      modelIds: ['m'],
      presets: ['sde-vecs'],
      pcSteps: 50,
      sweepSteps: 10,
      rSweep: [0.2],
      fastSteps: [],
      pcStepsSweep: [],
    });
    expect(swept.map((m) => m.id)).toEqual(['bicubic', 'hr', 'm/sde-vecs[N=50]', 'm/sde-vecs[N=10,r=0.2]']);
    expect(ids).toContain('m/fast');
    expect(ids).toContain('m/fast[N=5]');
    // sde-ve N=50 is only in the NFE sweep; fast N=5/10 only there too.
    const ve = plan.find((m) => m.id === 'm/sde-ve[N=50]');
    expect(ve?.tags).toEqual([{ experiment: 'nfe', family: 'pc' }]);
    const merged = planMethods({
      modelIds: ['m'],
      presets: ['fast'],
      rSweep: [],
      fastSteps: [],
      pcStepsSweep: [],
    });
    expect(merged).toHaveLength(3);
  });
  it('builds ids from the overrides', () => {
    expect(methodId('m', 'sde-vecs', { steps: 10, correctorSteps: 2, snr: 0.16 })).toBe(
      'm/sde-vecs[N=10,M=2,r=0.16]',
    );
  });
});
