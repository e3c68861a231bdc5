/**
 * Seeded noise, bit for bit as docs/specs/c5-noise.md: Philox4x32-10 (Salmon et al., SC'11) in counter mode,
 * one stream per (seed, candidate), Box-Muller in float64, each normal rounded to float32.
 */
import type { NoiseStream } from './api';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const TWO_POW_32 = 4294967296;
const TWO_PI = 2 * Math.PI;
const MAX_SEED = 0xffffffffffffffffn;

// The multipliers split into 16-bit halves once, for the exact high-word products below.
const M0H = M0 >>> 16;
const M0L = M0 & 0xffff;
const M1H = M1 >>> 16;
const M1L = M1 & 0xffff;

/**
 * High 32 bits of (mH 2^16 + mL) * c for a 32-bit c, as int32: schoolbook multiplication on 16-bit halves with
 * Math.imul, every partial product below 2^32 (read unsigned by `>>> 0`), carries summed exactly.
 */
function mulhi32(mH: number, mL: number, c: number): number {
  const cL = c & 0xffff;
  const cH = c >>> 16;
  const ll = Math.imul(mL, cL) >>> 0;
  const lh = Math.imul(mL, cH) >>> 0;
  const hl = Math.imul(mH, cL) >>> 0;
  const carry = ((ll >>> 16) + (lh & 0xffff) + (hl & 0xffff)) >>> 16;
  return (Math.imul(mH, cH) + (lh >>> 16) + (hl >>> 16) + carry) | 0;
}

/** Philox4x32-10 of one counter block into `out[o..o+3]`. State kept as int32 so V8 stays in integer registers. */
function philoxInto(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array,
  o: number,
): void {
  c0 |= 0;
  c1 |= 0;
  c2 |= 0;
  c3 |= 0;
  k0 |= 0;
  k1 |= 0;
  for (let r = 0; r < 10; r++) {
    if (r > 0) {
      k0 = (k0 + W0) | 0;
      k1 = (k1 + W1) | 0;
    }
    const hi0 = mulhi32(M0H, M0L, c0);
    const lo0 = Math.imul(M0, c0);
    const hi1 = mulhi32(M1H, M1L, c2);
    const lo1 = Math.imul(M1, c2);
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
  }
  out[o] = c0;
  out[o + 1] = c1;
  out[o + 2] = c2;
  out[o + 3] = c3;
}

/**
 * Two Philox4x32-10 blocks at once, counters (a0, c1, c2, c3) and (b0, c1, c2, c3), into `out[0..7]`. The same
 * rounds as `philoxInto`, interleaved so the CPU overlaps the two dependency chains (about 1.5x faster).
 */
function philoxPairInto(
  a0: number,
  b0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array,
): void {
  a0 |= 0;
  b0 |= 0;
  let a1 = c1 | 0;
  let a2 = c2 | 0;
  let a3 = c3 | 0;
  let b1 = a1;
  let b2 = a2;
  let b3 = a3;
  k0 |= 0;
  k1 |= 0;
  for (let r = 0; r < 10; r++) {
    if (r > 0) {
      k0 = (k0 + W0) | 0;
      k1 = (k1 + W1) | 0;
    }
    const ah0 = mulhi32(M0H, M0L, a0);
    const al0 = Math.imul(M0, a0);
    const ah1 = mulhi32(M1H, M1L, a2);
    const al1 = Math.imul(M1, a2);
    const bh0 = mulhi32(M0H, M0L, b0);
    const bl0 = Math.imul(M0, b0);
    const bh1 = mulhi32(M1H, M1L, b2);
    const bl1 = Math.imul(M1, b2);
    a0 = ah1 ^ a1 ^ k0;
    a1 = al1;
    a2 = ah0 ^ a3 ^ k1;
    a3 = al0;
    b0 = bh1 ^ b1 ^ k0;
    b1 = bl1;
    b2 = bh0 ^ b3 ^ k1;
    b3 = bl0;
  }
  out[0] = a0;
  out[1] = a1;
  out[2] = a2;
  out[3] = a3;
  out[4] = b0;
  out[5] = b1;
  out[6] = b2;
  out[7] = b3;
}

/** Philox4x32-10: the four output words for a counter (c0..c3) and key (k0, k1), all uint32. */
export function philox4x32(
  counter: Uint32Array | readonly number[],
  key: Uint32Array | readonly number[],
): Uint32Array {
  if (counter.length !== 4 || key.length !== 2)
    throw new Error('philox4x32: need 4 counter and 2 key words.');
  const out = new Uint32Array(4);
  philoxInto(
    counter[0]! >>> 0,
    counter[1]! >>> 0,
    counter[2]! >>> 0,
    counter[3]! >>> 0,
    key[0]! >>> 0,
    key[1]! >>> 0,
    out,
    0,
  );
  return out;
}

/** A C5 noise stream that can also write a draw straight into a caller's buffer. */
export interface PhiloxNoiseStream extends NoiseStream {
  /** The next draw of `n` normals, written to `out[offset .. offset + n - 1]`. */
  nextInto(out: Float32Array, offset: number, n: number): void;
  /** The 64-bit index of the next unused block. */
  readonly block: bigint;
}

/** The C5 stream of candidate `candidate` of a run with 64-bit `seed`: key (seed_lo, seed_hi), counter (b_lo, b_hi, k, 0). */
export function createNoiseStream(seed: bigint, candidate: number): PhiloxNoiseStream {
  if (seed < 0n || seed > MAX_SEED) throw new Error(`Noise seed ${seed} is not an unsigned 64-bit integer.`);
  if (!Number.isInteger(candidate) || candidate < 0 || candidate >= TWO_POW_32) {
    throw new Error(`Noise candidate ${candidate} is not an unsigned 32-bit integer.`);
  }
  const k0 = Number(seed & 0xffffffffn);
  const k1 = Number(seed >> 32n);
  const words = new Uint32Array(8);
  // Block index b = bHi * 2^32 + bLo, kept as two uint32 so the hot loop stays in plain numbers.
  let bLo = 0;
  let bHi = 0;
  const nextInto = (out: Float32Array, offset: number, n: number): void => {
    if (!Number.isInteger(n) || n < 0) throw new Error(`Noise draw size ${n} is not a whole number.`);
    if (offset < 0 || offset + n > out.length) throw new Error('Noise draw does not fit the output buffer.');
    let blocks = Math.ceil(n / 4);
    let o = offset;
    let left = n;
    while (blocks > 0) {
      // Two blocks per Philox call when both share b_hi; the second is used only if this draw needs it.
      const pair = blocks >= 2 && bLo !== 0xffffffff;
      if (pair) philoxPairInto(bLo, bLo + 1, bHi, candidate, 0, k0, k1, words);
      else philoxInto(bLo, bHi, candidate, 0, k0, k1, words, 0);
      const used = pair ? 2 : 1;
      for (let w = 0; w < 4 * used && left > 0; w += 2) {
        // Box-Muller on (u_a, u_b), float64, u = (x + 0.5) / 2^32.
        const ua = (words[w]! + 0.5) / TWO_POW_32;
        const ub = (words[w + 1]! + 0.5) / TWO_POW_32;
        const r = Math.sqrt(-2 * Math.log(ua));
        const theta = TWO_PI * ub;
        out[o++] = r * Math.cos(theta);
        if (--left > 0) {
          out[o++] = r * Math.sin(theta);
          left--;
        }
      }
      for (let k = 0; k < used; k++) {
        bLo = (bLo + 1) >>> 0;
        if (bLo === 0) bHi = (bHi + 1) >>> 0;
      }
      blocks -= used;
    }
  };
  return {
    nextInto,
    next(n: number): Float32Array {
      if (!Number.isInteger(n) || n < 0) throw new Error(`Noise draw size ${n} is not a whole number.`);
      const out = new Float32Array(n);
      nextInto(out, 0, n);
      return out;
    },
    get block(): bigint {
      return (BigInt(bHi) << 32n) | BigInt(bLo);
    },
  };
}

/** The streams of candidates 0 .. count - 1 of a run: one `SampleRequest.noise` entry per candidate. */
export function createNoiseStreams(seed: bigint, count: number): PhiloxNoiseStream[] {
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`Candidate count must be a positive integer, got ${count}.`);
  return Array.from({ length: count }, (_, k) => createNoiseStream(seed, k));
}

/** Parse a run seed written as a decimal string (0 .. 18446744073709551615); throws a clear error otherwise. */
export function parseSeed(s: string): bigint {
  if (!/^(0|[1-9][0-9]{0,19})$/.test(s)) {
    throw new Error(`Seed "${s}" is not a whole number between 0 and 18446744073709551615.`);
  }
  const v = BigInt(s);
  if (v > MAX_SEED) throw new Error(`Seed "${s}" is larger than 18446744073709551615.`);
  return v;
}

/** What a seed may be written as, for messages. */
export const SEED_FORMS =
  'a whole number from 0 to 18446744073709551615, in decimal or in hex with 0x (up to 0xffffffffffffffff)';

/**
 * Parses a seed as a user writes it: decimal (`2022`) or hexadecimal with `0x` (`0x7e6`), any 64-bit unsigned value.
 * Throws an error saying what is accepted.
 */
export function seedFromText(text: string): bigint {
  const s = text.trim();
  const ok = /^(0|[1-9][0-9]{0,19})$/.test(s) || /^0[xX][0-9a-fA-F]{1,16}$/.test(s);
  const v = ok ? BigInt(s) : -1n;
  if (v < 0n || v > MAX_SEED) throw new Error(`"${text}" is not a seed: give ${SEED_FORMS}.`);
  return v;
}

/** A 64-bit seed from the first 8 of `bytes` (little-endian); the caller supplies cryptographic randomness. */
export function seedFromBytes(bytes: Uint8Array): bigint {
  if (bytes.length < 8) throw new Error(`seedFromBytes needs 8 bytes, got ${bytes.length}.`);
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}
