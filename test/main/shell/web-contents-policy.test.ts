import { describe, expect, it, vi } from 'vitest';
import { hardenWebContents, type PolicyWebContents } from '../../../src/main/security/web-contents-policy';

function fakeContents() {
  const listeners: Record<string, (...args: unknown[]) => unknown> = {};
  let openHandler: ((d: { url: string }) => unknown) | undefined;
  const contents = {
    on: vi.fn((name: string, l: (...args: unknown[]) => unknown) => (listeners[name] = l)),
    setWindowOpenHandler: vi.fn((h: (d: { url: string }) => unknown) => (openHandler = h)),
  };
  return {
    contents: contents as unknown as PolicyWebContents,
    listeners,
    open: (url: string) => openHandler!({ url }),
  };
}

describe('web contents policy', () => {
  it.each(['will-navigate', 'will-redirect', 'will-attach-webview'])('prevents %s', (name) => {
    const { contents, listeners } = fakeContents();
    hardenWebContents(contents);
    const event = { preventDefault: vi.fn() };
    listeners[name]!(event, 'https://example.com/');
    expect(event.preventDefault).toHaveBeenCalledOnce();
  });

  it('prevents sub-frame navigation', () => {
    const { contents, listeners } = fakeContents();
    hardenWebContents(contents);
    const details = { url: 'https://example.com/', preventDefault: vi.fn() };
    listeners['will-frame-navigate']!(details);
    expect(details.preventDefault).toHaveBeenCalledOnce();
  });

  it('denies window.open and target=_blank, whatever the URL', () => {
    const { contents, open } = fakeContents();
    const log = vi.fn();
    hardenWebContents(contents, log);
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'about:blank', 'facet-case://c/x']) {
      expect(open(url)).toEqual({ action: 'deny' });
    }
    expect(log).toHaveBeenCalledTimes(4);
  });
});
