import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  devContentSecurityPolicy,
  metaContentSecurityPolicy,
  parseCsp,
  withDevCsp,
} from '../../../src/main/security/csp';

const INDEX_HTML = resolve(import.meta.dirname, '../../../src/renderer/index.html');

describe('content security policy', () => {
  const header = parseCsp(contentSecurityPolicy());

  it('denies by default and runs only the app’s own scripts', () => {
    expect(header.get('default-src')).toEqual(["'none'"]);
    expect(header.get('script-src')).toEqual(["'self'"]);
    expect(header.get('object-src')).toEqual(["'none'"]);
    expect(header.get('frame-src')).toEqual(["'none'"]);
    expect(header.get('frame-ancestors')).toEqual(["'none'"]);
    expect(header.get('base-uri')).toEqual(["'none'"]);
    expect(header.get('form-action')).toEqual(["'none'"]);
  });

  it('reaches no network origin: only the app and the case-file scheme', () => {
    for (const [name, sources] of header) {
      for (const s of sources) {
        expect(s, `${name} ${s}`).not.toMatch(/^(https?|wss?):|^\*|'unsafe-eval'|'wasm-unsafe-eval'/);
      }
    }
    expect(header.get('connect-src')).toEqual(['facet-case:']);
    expect(header.get('img-src')).toContain('facet-case:');
  });

  it('is the same policy as the meta tag in the renderer’s index.html', () => {
    const html = readFileSync(INDEX_HTML, 'utf8');
    const match = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(match, 'index.html has a CSP meta tag').not.toBeNull();
    const meta = parseCsp(match![1]!);
    expect(meta).toEqual(parseCsp(metaContentSecurityPolicy()));
    const headerWithoutAncestors = new Map(header);
    headerWithoutAncestors.delete('frame-ancestors');
    expect(meta).toEqual(headerWithoutAncestors);
  });

  it('relaxes only script-src (inline preamble) and connect-src (HMR) for the dev server', () => {
    const dev = parseCsp(devContentSecurityPolicy());
    for (const [name, sources] of header) {
      if (name === 'script-src') expect(dev.get(name)).toEqual(["'self'", "'unsafe-inline'"]);
      else if (name === 'connect-src') expect(dev.get(name)).toEqual(["'self'", 'facet-case:']);
      else expect(dev.get(name), name).toEqual(sources);
    }
    const html = readFileSync(INDEX_HTML, 'utf8');
    const rewritten = withDevCsp(html);
    expect(rewritten).not.toBe(html);
    expect(rewritten).toContain("script-src 'self' 'unsafe-inline'");
    expect(rewritten).not.toContain('frame-ancestors');
  });
});
