import { sha256Hex } from '../crypto';
import { constants, promises as fs } from 'node:fs';
import type { Protocol } from 'electron';
import { CASE_SCHEME } from './scheme';

/**
 * Finds a content-addressed file of a case: the absolute path of the object whose SHA-256 is `sha256`, or
 * null when the case holds no such object. Supplied by the case store.
 */
export type ResolveCaseFile = (caseId: string, sha256: string) => string | null;

/** The request fields the handler reads (Electron passes a fetch Request). */
export interface CaseRequest {
  readonly url: string;
  readonly method: string;
}

/** Case ids as the store writes them (UUIDs); lower case, because a standard scheme lower-cases its host. */
const CASE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const SHA256 = /^[0-9a-f]{64}$/;
/** Evidence stills are megabytes; anything far larger is refused rather than read into memory. */
const MAX_BYTES = 512 * 1024 * 1024;

/** A parsed case-file address, or the reason it is not one. */
export type ParsedCaseUrl =
  | { readonly ok: true; readonly caseId: string; readonly sha256: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Parses `facet-case://<caseId>/<sha256>` strictly: no other path segments, no query, no fragment, no
 * percent-escapes or dots (so no path traversal), lower-case hex only.
 */
export function parseCaseUrl(raw: string): ParsedCaseUrl {
  const prefix = `${CASE_SCHEME}://`;
  if (!raw.toLowerCase().startsWith(prefix)) return { ok: false, reason: 'not a case-file URL' };
  const rest = raw.slice(prefix.length);
  if (/[%\\?#@:.]/.test(rest))
    return { ok: false, reason: 'escapes, dots, queries and ports are not allowed' };
  const parts = rest.split('/');
  if (parts.length !== 2) return { ok: false, reason: 'expected <caseId>/<sha256>' };
  const [caseId = '', sha256 = ''] = parts;
  if (!CASE_ID.test(caseId)) return { ok: false, reason: 'malformed case id' };
  if (!SHA256.test(sha256)) return { ok: false, reason: 'malformed SHA-256 (64 lower-case hex digits)' };
  return { ok: true, caseId, sha256 };
}

/** The MIME type of an image from its first bytes; never from a name the renderer chose. */
export function sniffImageType(head: Uint8Array): string {
  const starts = (...sig: number[]): boolean => sig.every((b, i) => head[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (
    starts(0x52, 0x49, 0x46, 0x46) &&
    head[8] === 0x57 &&
    head[9] === 0x45 &&
    head[10] === 0x42 &&
    head[11] === 0x50
  )
    return 'image/webp';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x42, 0x4d)) return 'image/bmp';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'image/tiff';
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'application/pdf';
  return 'application/octet-stream';
}

/**
 * Serves one request. Only GET/HEAD of a well-formed address whose object the resolver knows, that is a
 * regular file (not a symlink) and whose bytes still hash to the address; anything else is an error
 * response with a reason. Re-hashing on every read means a tampered object is never shown.
 */
export async function serveCaseFile(request: CaseRequest, resolve: ResolveCaseFile): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'only GET and HEAD');
  const parsed = parseCaseUrl(request.url);
  if (!parsed.ok) return refuse(400, parsed.reason);
  let path: string | null;
  try {
    path = resolve(parsed.caseId, parsed.sha256);
  } catch {
    return refuse(500, 'the case store failed');
  }
  if (path === null) return refuse(404, 'no such object in this case');

  let bytes: Buffer;
  try {
    const link = await fs.lstat(path);
    if (link.isSymbolicLink() || !link.isFile()) return refuse(403, 'not a regular file');
    if (link.size > MAX_BYTES) return refuse(413, 'object too large');
    // O_NOFOLLOW closes the gap between lstat and open where the file could be swapped for a link.
    const handle = await fs.open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    try {
      if (!(await handle.stat()).isFile()) return refuse(403, 'not a regular file');
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch {
    return refuse(404, 'object unreadable');
  }
  if (sha256Hex(bytes) !== parsed.sha256) {
    return refuse(500, 'object does not match its hash');
  }
  const headers = {
    'Content-Type': sniffImageType(bytes.subarray(0, 16)),
    'Content-Length': String(bytes.length),
    'X-Content-Type-Options': 'nosniff',
    // Content-addressed, so immutable; scripts inside (e.g. an SVG) never run.
    'Cache-Control': 'private, max-age=31536000, immutable',
    'Content-Security-Policy': "default-src 'none'; sandbox",
  };
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(bytes), { status: 200, headers });
}

function refuse(status: number, reason: string): Response {
  return new Response(`Refused: ${reason}.`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}

/** Installs the `facet-case` handler on a protocol module (a test passes a double). */
export function registerCaseProtocol(
  protocol: Pick<Protocol, 'handle' | 'unhandle'>,
  resolve: ResolveCaseFile,
): () => void {
  protocol.handle(CASE_SCHEME, (request) => serveCaseFile(request, resolve));
  return () => protocol.unhandle(CASE_SCHEME);
}
