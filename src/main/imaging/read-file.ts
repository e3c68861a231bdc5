/**
 * Reading a file the user named, safely: it is opened without blocking (a FIFO with no writer would otherwise hang
 * the open), refused unless it is a regular file, and read whole within a size limit. Evidence import, `facet
 * enhance`, `facet verify` (manifests) and case import (archives) read through it.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { FacetError } from '../../shared/errors';

/** Largest still file accepted anywhere (evidence import, `facet enhance`). */
export const MAX_IMAGE_BYTES = 100 * 1024 * 1024;

/** Words for the usual file-system error codes, for one-line messages ("Cannot read X: <words>."). */
const FS_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a folder, not a file',
  EEXIST: 'it is a file, not a folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  ENXIO: 'it is a socket or device, not a file',
};

/** A file-system error in words: the known codes explained, others by their code. */
export function fsErrorWords(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code && FS_ERRORS[code]) ?? code ?? String(err);
}

/** What a non-regular file is, in words. */
function kindOf(st: ReturnType<typeof fstatSync>): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** Reads a regular file whole; every problem is a one-line FacetError naming the file. Never reads a non-file. */
export function readRegularFile(path: string, maxBytes = MAX_IMAGE_BYTES, what = 'image files'): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new FacetError('io', `Cannot read ${path}: ${fsErrorWords(err)}.`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      const kind = kindOf(st);
      throw new FacetError(
        'invalid-input',
        kind === 'a folder'
          ? `Cannot read ${path}: it is a folder, not a regular file.`
          : `${path} is ${kind}, not a regular file; give ${what === 'image files' ? 'an image file' : `a file (${what} are read only from regular files)`}.`,
      );
    }
    if (st.size === 0) throw new FacetError('invalid-input', `${path} is empty (0 bytes).`);
    if (st.size > maxBytes) {
      throw new FacetError(
        'invalid-input',
        `${path} is ${st.size} bytes; ${what} are limited to ${maxBytes} bytes.`,
      );
    }
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    if (off !== st.size) throw new FacetError('invalid-input', `${path} changed while it was read.`);
    return buf;
  } finally {
    closeSync(fd);
  }
}
