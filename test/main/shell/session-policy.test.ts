import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { applySessionPolicy, type PolicySession } from '../../../src/main/security/session-policy';
import { isAllowedRequestUrl, isAppPageUrl, type AppOrigin } from '../../../src/main/security/url-policy';

const RENDERER = join('/opt', 'Facet SR', 'resources', 'app.asar', 'out', 'renderer');
const PROD: AppOrigin = { rendererDir: RENDERER };
const DEV: AppOrigin = { rendererDir: RENDERER, devServerUrl: 'http://localhost:5173/' };
const INDEX = pathToFileURL(join(RENDERER, 'index.html')).href;
const HASH = 'a'.repeat(64);

type Handler = (...args: never[]) => unknown;

/** A Session double that records every handler the policy installs. */
function fakeSession() {
  const handlers: Record<string, Handler> = {};
  const session = {
    webRequest: {
      onBeforeRequest: vi.fn((h: Handler) => (handlers.beforeRequest = h)),
      onHeadersReceived: vi.fn((h: Handler) => (handlers.headersReceived = h)),
    },
    setPermissionRequestHandler: vi.fn((h: Handler) => (handlers.permissionRequest = h)),
    setPermissionCheckHandler: vi.fn((h: Handler) => (handlers.permissionCheck = h)),
    setDevicePermissionHandler: vi.fn((h: Handler) => (handlers.devicePermission = h)),
    setDisplayMediaRequestHandler: vi.fn((h: Handler) => (handlers.displayMedia = h)),
    setSpellCheckerEnabled: vi.fn(),
    on: vi.fn((name: string, h: Handler) => (handlers[name] = h)),
  };
  return { session: session as unknown as PolicySession, raw: session, handlers };
}

function requestCancelled(handlers: Record<string, Handler>, url: string): boolean {
  let cancel: boolean | undefined;
  (handlers.beforeRequest as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void)(
    { url },
    (r) => {
      cancel = r.cancel;
    },
  );
  return cancel!;
}

describe('session policy', () => {
  it.each([
    'https://example.com/',
    'http://127.0.0.1:8080/x.png',
    'http://localhost:5173/',
    'wss://example.com/socket',
    'ftp://example.com/file',
    'file:///etc/passwd',
    pathToFileURL(join(RENDERER, '..', 'main', 'index.js')).href,
    `${pathToFileURL(RENDERER).href}/../../../../etc/passwd`,
    `${pathToFileURL(RENDERER).href}/%2e%2e/%2e%2e/secret`,
    'chrome://settings',
    'not a url',
  ])('blocks %s', (url) => {
    const { session, handlers } = fakeSession();
    applySessionPolicy(session, PROD);
    expect(requestCancelled(handlers, url)).toBe(true);
  });

  it.each([
    INDEX,
    pathToFileURL(join(RENDERER, 'assets', 'index-abc.js')).href,
    `facet-case://c1/${HASH}`,
    'data:image/png;base64,AAAA',
    'blob:file:///1234',
  ])('allows the app’s own %s', (url) => {
    const { session, handlers } = fakeSession();
    applySessionPolicy(session, PROD);
    expect(requestCancelled(handlers, url)).toBe(false);
  });

  it('allows only the dev server’s host and port in development', () => {
    const { session, handlers } = fakeSession();
    applySessionPolicy(session, DEV);
    expect(requestCancelled(handlers, 'http://localhost:5173/src/main.tsx')).toBe(false);
    expect(requestCancelled(handlers, 'ws://localhost:5173/')).toBe(false);
    expect(requestCancelled(handlers, 'http://localhost:5174/')).toBe(true);
    expect(requestCancelled(handlers, 'https://example.com/')).toBe(true);
  });

  it('logs what it blocks', () => {
    const { session, handlers } = fakeSession();
    const log = vi.fn();
    applySessionPolicy(session, PROD, log);
    requestCancelled(handlers, 'https://example.com/');
    expect(log).toHaveBeenCalledWith(expect.stringContaining('https://example.com/'));
  });

  it('puts its CSP on every response, replacing any other', () => {
    const { session, handlers } = fakeSession();
    applySessionPolicy(session, DEV);
    let headers: Record<string, string[]> = {};
    (
      handlers.headersReceived as (
        d: unknown,
        cb: (r: { responseHeaders: Record<string, string[]> }) => void,
      ) => void
    )(
      { responseHeaders: { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] } },
      (r) => (headers = r.responseHeaders),
    );
    expect(Object.keys(headers).filter((k) => k.toLowerCase() === 'content-security-policy')).toHaveLength(1);
    expect(headers['Content-Security-Policy']![0]).toMatch(/^default-src 'none'; script-src 'self'/);
    expect(headers['Content-Type']).toEqual(['text/html']);
    // DEV origin: the dev policy; a packaged app gets the strict one.
    expect(headers['Content-Security-Policy']![0]).toContain("'unsafe-inline'");
    const prod = fakeSession();
    applySessionPolicy(prod.session, PROD);
    (
      prod.handlers.headersReceived as (
        d: unknown,
        cb: (r: { responseHeaders: Record<string, string[]> }) => void,
      ) => void
    )({ responseHeaders: {} }, (r) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']![0]).toMatch(/^default-src 'none'; script-src 'self';/);
    expect(headers['X-Content-Type-Options']).toEqual(['nosniff']);
  });

  it('denies every permission, device and screen capture, disables the spell checker and downloads', () => {
    const { session, raw, handlers } = fakeSession();
    applySessionPolicy(session, PROD);
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'usb',
    ]) {
      const cb = vi.fn();
      (handlers.permissionRequest as (wc: unknown, p: string, cb: (ok: boolean) => void) => void)(
        {},
        permission,
        cb,
      );
      expect(cb).toHaveBeenCalledWith(false);
      expect((handlers.permissionCheck as (...a: unknown[]) => boolean)(null, permission, INDEX, {})).toBe(
        false,
      );
    }
    expect((handlers.devicePermission as (d: unknown) => boolean)({ deviceType: 'usb' })).toBe(false);
    const media = vi.fn();
    (handlers.displayMedia as (r: unknown, cb: (s: unknown) => void) => void)({}, media);
    expect(media).toHaveBeenCalledWith(null);
    expect(raw.setSpellCheckerEnabled).toHaveBeenCalledWith(false);
    const event = { preventDefault: vi.fn() };
    (handlers['will-download'] as (e: unknown, item: unknown) => void)(event, {
      getURL: () => 'https://x/y',
    });
    expect(event.preventDefault).toHaveBeenCalled();
  });
});

describe('app page URL', () => {
  it('accepts only the renderer’s index.html (or the dev server in development)', () => {
    expect(isAppPageUrl(INDEX, PROD)).toBe(true);
    expect(isAppPageUrl(`${INDEX}#/cases`, PROD)).toBe(true);
    expect(isAppPageUrl(pathToFileURL(join(RENDERER, 'other.html')).href, PROD)).toBe(false);
    expect(isAppPageUrl('https://evil.example/', PROD)).toBe(false);
    expect(isAppPageUrl('http://localhost:5173/', PROD)).toBe(false);
    expect(isAppPageUrl('http://localhost:5173/', DEV)).toBe(true);
    expect(isAppPageUrl(INDEX, DEV)).toBe(false);
    expect(isAllowedRequestUrl('javascript:alert(1)', PROD)).toBe(false);
  });
});
