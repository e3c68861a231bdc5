import { createHash } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  parseCaseUrl,
  registerCaseProtocol,
  serveCaseFile,
  type ResolveCaseFile,
} from '../../../src/main/protocol/case-protocol';
import { caseStoreResolver } from '../../../src/main/protocol/case-store-layout';
import { caseFileUrl } from '../../../src/main/protocol/scheme';
import { tempDir } from '../../helpers/temp-dir';

const CASE = '3f2c7a1e-0b4d-4c8e-9a6f-1d2e3f4a5b6c';
const OTHER = '9a9a9a9a-0b4d-4c8e-9a6f-1d2e3f4a5b6c';
// The 8-byte PNG signature and some bytes: enough for type sniffing.
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5]);
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Writes `bytes` into a case's object store under `name` (its hash unless given). */
function putObject(dataDir: string, caseId: string, bytes: Buffer, name = sha(bytes)): string {
  const dir = join(dataDir, 'cases', caseId, 'objects', name.slice(0, 2));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('case-file protocol', () => {
  let dir: ReturnType<typeof tempDir>;
  let resolve: ResolveCaseFile;
  beforeEach(() => {
    dir = tempDir('facet-protocol-');
    resolve = caseStoreResolver(dir.path);
  });
  afterEach(() => dir.remove());

  const get = (url: string, method = 'GET') => serveCaseFile({ url, method }, resolve);

  it('serves a case object by its hash, typed from its bytes', async () => {
    putObject(dir.path, CASE, PNG);
    const res = await get(caseFileUrl(CASE, sha(PNG)));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
    const head = await get(caseFileUrl(CASE, sha(PNG)), 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(PNG.length));
  });

  it.each([
    [`facet-case://${CASE}/../../../etc/passwd`],
    [`facet-case://${CASE}/%2e%2e/%2e%2e/etc/passwd`],
    [`facet-case://${CASE}/..%2F..%2Fetc%2Fpasswd`],
    [`facet-case://../${'a'.repeat(64)}`],
    [`facet-case://${CASE}/${'a'.repeat(64)}/extra`],
    [`facet-case://${CASE}/${'a'.repeat(64)}?x=1`],
    [`facet-case://${CASE}/${'a'.repeat(64)}#frag`],
    [`facet-case://${CASE}/${'A'.repeat(64)}`],
    [`facet-case://${CASE}/${'a'.repeat(63)}`],
    [`facet-case://${CASE}/${'g'.repeat(64)}`],
    [`facet-case://${CASE}\\${'a'.repeat(64)}`],
    [`facet-case://user@${CASE}/${'a'.repeat(64)}`],
    [`facet-case://${CASE}:80/${'a'.repeat(64)}`],
    [`facet-case:///${'a'.repeat(64)}`],
    [`https://${CASE}/${'a'.repeat(64)}`],
  ])('rejects the malformed address %s before the store is asked', async (url) => {
    const spy = vi.fn(resolve);
    const res = await serveCaseFile({ url, method: 'GET' }, spy);
    expect(res.status).toBe(400);
    expect(spy).not.toHaveBeenCalled();
  });

  it('rejects methods other than GET and HEAD', async () => {
    putObject(dir.path, CASE, PNG);
    expect((await get(caseFileUrl(CASE, sha(PNG)), 'POST')).status).toBe(405);
  });

  it('refuses a hash that is not in the case, even if another case holds it', async () => {
    putObject(dir.path, OTHER, PNG);
    expect((await get(caseFileUrl(CASE, sha(PNG)))).status).toBe(404);
    expect((await get(caseFileUrl(OTHER, sha(PNG)))).status).toBe(200);
    expect((await get(caseFileUrl(CASE, 'b'.repeat(64)))).status).toBe(404);
  });

  it('refuses a symlink in the store, even to a file with the right hash', async () => {
    const target = join(dir.path, 'outside.png');
    writeFileSync(target, PNG);
    const h = sha(PNG);
    const linkDir = join(dir.path, 'cases', CASE, 'objects', h.slice(0, 2));
    mkdirSync(linkDir, { recursive: true });
    symlinkSync(target, join(linkDir, h));
    const res = await get(caseFileUrl(CASE, h));
    expect(res.status).toBe(403);
  });

  it('refuses an object reached through a symlinked folder', async () => {
    const h = sha(PNG);
    const outside = join(dir.path, 'elsewhere');
    mkdirSync(outside);
    writeFileSync(join(outside, h), PNG);
    mkdirSync(join(dir.path, 'cases', CASE, 'objects'), { recursive: true });
    symlinkSync(outside, join(dir.path, 'cases', CASE, 'objects', h.slice(0, 2)));
    expect((await get(caseFileUrl(CASE, h))).status).toBe(404);
  });

  it('refuses a directory where an object should be', async () => {
    const h = 'c'.repeat(64);
    mkdirSync(join(dir.path, 'cases', CASE, 'objects', 'cc', h), { recursive: true });
    expect((await get(caseFileUrl(CASE, h))).status).toBe(403);
  });

  it('never serves an object whose bytes no longer match its hash', async () => {
    const path = putObject(dir.path, CASE, PNG);
    writeFileSync(path, Buffer.concat([PNG, Buffer.from([0])]));
    const res = await get(caseFileUrl(CASE, sha(PNG)));
    expect(res.status).toBe(500);
    expect(await res.text()).toMatch(/does not match its hash/);
  });

  it('answers 500, not a crash, when the store throws', async () => {
    const res = await serveCaseFile({ url: caseFileUrl(CASE, sha(PNG)), method: 'GET' }, () => {
      throw new Error('db closed');
    });
    expect(res.status).toBe(500);
  });

  it('registers on the facet-case scheme and unregisters', async () => {
    putObject(dir.path, CASE, PNG);
    const protocol = { handle: vi.fn(), unhandle: vi.fn() };
    const dispose = registerCaseProtocol(protocol, resolve);
    expect(protocol.handle).toHaveBeenCalledWith('facet-case', expect.any(Function));
    const handler = protocol.handle.mock.calls[0]![1] as (r: Request) => Promise<Response>;
    const res = await handler(new Request(caseFileUrl(CASE, sha(PNG))));
    expect(res.status).toBe(200);
    dispose();
    expect(protocol.unhandle).toHaveBeenCalledWith('facet-case');
  });

  it('parses a well-formed address', () => {
    expect(parseCaseUrl(caseFileUrl(CASE, 'd'.repeat(64)))).toEqual({
      ok: true,
      caseId: CASE,
      sha256: 'd'.repeat(64),
    });
  });
});
