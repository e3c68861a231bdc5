/**
 * A minimal POSIX ustar writer and reader for case archives: regular files only, names under 100 bytes,
 * checksums verified on read. Enough for `facet case export|import`; not a general tar implementation.
 */

const BLOCK = 512;

/** One file in an archive. */
export interface TarEntry {
  readonly name: string;
  readonly data: Uint8Array;
}

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

/** Builds a ustar archive from entries (mode 0444, mtime fixed by the caller, uid/gid 0). */
export function writeTar(entries: readonly TarEntry[], mtimeSec: number): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    if (name.length === 0 || name.length >= 100)
      throw new Error(`Archive entry name must be 1-99 bytes: ${e.name}`);
    const h = Buffer.alloc(BLOCK);
    name.copy(h, 0);
    h.write(octal(0o444, 8), 100, 'ascii');
    h.write(octal(0, 8), 108, 'ascii');
    h.write(octal(0, 8), 116, 'ascii');
    h.write(octal(e.data.length, 12), 124, 'ascii');
    h.write(octal(Math.floor(mtimeSec), 12), 136, 'ascii');
    h.fill(0x20, 148, 156); // checksum field counts as spaces
    h.write('0', 156, 'ascii');
    h.write('ustar\u000000', 257, 'ascii');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    parts.push(h, Buffer.from(e.data));
    const pad = (BLOCK - (e.data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

/** Reads a ustar archive written by writeTar; rejects anything else (links, devices, odd names, bad sums). */
export function readTar(buf: Buffer): TarEntry[] {
  const out: TarEntry[] = [];
  let off = 0;
  while (off + BLOCK <= buf.length) {
    const h = buf.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) return out;
    const stored = parseInt(h.subarray(148, 156).toString('ascii').replace(/\0.*$/s, '').trim(), 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
    if (stored !== sum) throw new Error(`Archive header at byte ${off} has a bad checksum.`);
    const type = String.fromCharCode(h[156]!);
    const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    if (type !== '0' && type !== '\0') throw new Error(`Archive entry ${name} is not a regular file.`);
    if (!name || name.startsWith('/') || name.split('/').some((p) => p === '..' || p === '')) {
      throw new Error(`Archive entry has an unsafe name: ${JSON.stringify(name)}.`);
    }
    const size = parseInt(h.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim(), 8);
    if (!Number.isFinite(size) || size < 0 || off + BLOCK + size > buf.length) {
      throw new Error(`Archive entry ${name} has a bad size.`);
    }
    out.push({ name, data: buf.subarray(off + BLOCK, off + BLOCK + size) });
    off += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  throw new Error('The archive is truncated (no end-of-archive marker).');
}
