import type { WebContents } from 'electron';
import type { PolicyLog } from './session-policy';

/** The parts of a WebContents the policy configures (a test passes a double). */
export type PolicyWebContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Denies everything that would take a page somewhere else: navigation (top frame and sub-frames),
 * redirects, new windows (window.open, target=_blank) and `<webview>` tags. The app is one page; it loads
 * its renderer once, from main, and never moves.
 */
export function hardenWebContents(contents: PolicyWebContents, log: PolicyLog = () => {}): void {
  contents.on('will-navigate', (event, url) => {
    log(`Denied navigation to ${url}`);
    event.preventDefault();
  });
  contents.on('will-frame-navigate', (details) => {
    log(`Denied frame navigation to ${details.url}`);
    details.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    log(`Denied redirect to ${url}`);
    event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    log('Denied a <webview>');
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    log(`Denied window.open(${url})`);
    return { action: 'deny' };
  });
}
