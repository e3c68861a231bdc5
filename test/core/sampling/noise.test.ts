import { describe, expect, it } from 'vitest';
import {
  createNoiseStream,
  createNoiseStreams,
  parseSeed,
  philox4x32,
  seedFromBytes,
} from '../../../src/core/sampling/noise';

const hex = (a: Uint32Array): string => Array.from(a, (v) => v.toString(16).padStart(8, '0')).join(' ');

/** Philox4x32-10 with BigInt arithmetic: an independent reference for the Math.imul/16-bit split path. */
function philoxBig(counter: readonly number[], key: readonly number[]): number[] {
  const mask = 0xffffffffn;
  let c = counter.map(BigInt);
  let k = key.map(BigInt);
  for (let r = 0; r < 10; r++) {
    if (r > 0) k = [(k[0]! + 0x9e3779b9n) & mask, (k[1]! + 0xbb67ae85n) & mask];
    const p0 = 0xd2511f53n * c[0]!;
    const p1 = 0xcd9e8d57n * c[2]!;
    c = [(p1 >> 32n) ^ c[1]! ^ k[0]!, p1 & mask, (p0 >> 32n) ^ c[3]! ^ k[1]!, p0 & mask];
  }
  return c.map(Number);
}

/** The C5 normals of one block, written out from the spec text. */
function blockNormals(words: Uint32Array): number[] {
  const u = Array.from(words, (x) => (x + 0.5) / 2 ** 32);
  const out: number[] = [];
  for (const [a, b] of [
    [0, 1],
    [2, 3],
  ] as const) {
    const r = Math.sqrt(-2 * Math.log(u[a]!));
    out.push(Math.fround(r * Math.cos(2 * Math.PI * u[b]!)), Math.fround(r * Math.sin(2 * Math.PI * u[b]!)));
  }
  return out;
}

describe('Philox4x32-10', () => {
  it('matches the Random123 known answers', () => {
    expect(hex(philox4x32([0, 0, 0, 0], [0, 0]))).toBe('6627e8d5 e169c58d bc57ac4c 9b00dbd8');
    expect(hex(philox4x32([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff]))).toBe(
      '408f276d 41c83b0e a20bc7c6 6d5451fd',
    );
    expect(
      hex(
        philox4x32(
          Uint32Array.from([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344]),
          [0xa4093822, 0x299f31d0],
        ),
      ),
    ).toBe('d16cfe09 94fdcceb 5001e420 24126ea1');
  });

  it('agrees with a BigInt reference on many random inputs', () => {
    let state = 12345;
    const next = (): number => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 500; i++) {
      const c = [next(), next(), next(), next()];
      const k = [next(), next()];
      expect(Array.from(philox4x32(c, k))).toEqual(philoxBig(c, k));
    }
  });
});

describe('C5 noise streams', () => {
  const seed = 0x0123456789abcdefn;
  const key = [0x89abcdef, 0x01234567];

  it('draws block by block from counter (b_lo, b_hi, k, 0) with key (seed_lo, seed_hi), Box-Muller per pair', () => {
    const z = createNoiseStream(seed, 3).next(8);
    const expected = [
      ...blockNormals(philox4x32([0, 0, 3, 0], key)),
      ...blockNormals(philox4x32([1, 0, 3, 0], key)),
    ];
    expect(Array.from(z)).toEqual(expected);
  });

  it('discards the rest of a partly used block and starts the next draw on a fresh block', () => {
    const s = createNoiseStream(seed, 0);
    const a = s.next(3);
    expect(s.block).toBe(1n);
    const b = s.next(5);
    expect(s.block).toBe(3n);
    expect(Array.from(a)).toEqual(blockNormals(philox4x32([0, 0, 0, 0], key)).slice(0, 3));
    expect(Array.from(b)).toEqual([
      ...blockNormals(philox4x32([1, 0, 0, 0], key)),
      ...blockNormals(philox4x32([2, 0, 0, 0], key)).slice(0, 1),
    ]);
  });

  it('nextInto writes the same values as next, at an offset', () => {
    const buf = new Float32Array(10);
    createNoiseStream(7n, 1).nextInto(buf, 2, 6);
    expect(Array.from(buf.subarray(2, 8))).toEqual(Array.from(createNoiseStream(7n, 1).next(6)));
    expect(buf[0]).toBe(0);
    expect(buf[8]).toBe(0);
  });

  it('gives different streams to different candidates and seeds, reproducibly', () => {
    const a = createNoiseStream(1n, 0).next(16);
    expect(createNoiseStream(1n, 0).next(16)).toEqual(a);
    expect(createNoiseStream(1n, 1).next(16)).not.toEqual(a);
    expect(createNoiseStream(2n, 0).next(16)).not.toEqual(a);
    expect(createNoiseStream(1n << 32n, 0).next(16)).not.toEqual(a);
  });

  it('produces standard normals (moments and a Kolmogorov-Smirnov bound on 200k values)', () => {
    const n = 200_000;
    const z = createNoiseStream(2022n, 0).next(n);
    let m = 0;
    let v = 0;
    for (const x of z) m += x;
    m /= n;
    for (const x of z) v += (x - m) ** 2;
    v /= n - 1;
    expect(Math.abs(m)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(v - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    const sorted = Float64Array.from(z).sort();
    let d = 0;
    for (let i = 0; i < n; i++) {
      const f = normalCdf(sorted[i]!);
      d = Math.max(d, Math.abs(f - i / n), Math.abs(f - (i + 1) / n));
    }
    // KS critical value at alpha = 0.001 is 1.95 / sqrt(n).
    expect(d).toBeLessThan(1.95 / Math.sqrt(n));
  });

  it('createNoiseStreams gives candidates 0 .. count - 1', () => {
    const all = createNoiseStreams(5n, 3);
    expect(all).toHaveLength(3);
    expect(all[2]!.next(6)).toEqual(createNoiseStream(5n, 2).next(6));
    expect(() => createNoiseStreams(5n, 0)).toThrow(/positive integer/);
  });

  it('rejects seeds and candidates out of range', () => {
    expect(() => createNoiseStream(-1n, 0)).toThrow(/64-bit/);
    expect(() => createNoiseStream(1n << 64n, 0)).toThrow(/64-bit/);
    expect(() => createNoiseStream(1n, -1)).toThrow(/32-bit/);
    expect(() => createNoiseStream(1n, 2 ** 32)).toThrow(/32-bit/);
    expect(() => createNoiseStream(1n, 0).next(-1)).toThrow(/whole number/);
  });
});

describe('seeds', () => {
  it('parses decimal seeds up to 2^64 - 1 and rejects anything else', () => {
    expect(parseSeed('0')).toBe(0n);
    expect(parseSeed('18446744073709551615')).toBe(0xffffffffffffffffn);
    for (const bad of [
      '18446744073709551616',
      '-1',
      '01',
      '1.5',
      '',
      ' 1',
      '0x10',
      '123456789012345678901',
    ]) {
      expect(() => parseSeed(bad), bad).toThrow(/Seed/);
    }
  });

  it('builds a seed from 8 bytes, little-endian', () => {
    expect(seedFromBytes(Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0x80]))).toBe(0x8000000000000001n);
    expect(seedFromBytes(new Uint8Array(16).fill(255))).toBe(0xffffffffffffffffn);
    expect(() => seedFromBytes(new Uint8Array(7))).toThrow(/8 bytes/);
  });
});

/** Standard normal CDF via erfc (Numerical Recipes' Chebyshev fit, |error| < 1.2e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
}
