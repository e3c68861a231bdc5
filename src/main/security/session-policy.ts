import type { Session } from 'electron';
import { contentSecurityPolicy, devContentSecurityPolicy } from './csp';
import { isAllowedRequestUrl, type AppOrigin } from './url-policy';

/** The parts of an Electron Session the policy configures (a test passes a double). */
export type PolicySession = Pick<
  Session,
  | 'setPermissionRequestHandler'
  | 'setPermissionCheckHandler'
  | 'setDevicePermissionHandler'
  | 'setDisplayMediaRequestHandler'
  | 'setSpellCheckerEnabled'
  | 'on'
> & {
  readonly webRequest: Pick<Session['webRequest'], 'onBeforeRequest' | 'onHeadersReceived'>;
};

/** What the policy reports when it refuses something (for the log). */
export type PolicyLog = (message: string) => void;

/**
 * Locks a session down (DESIGN.md section 5): every request outside the app's own files and case files is
 * cancelled, every response carries the CSP, every permission (camera, notifications, USB, ...) is denied,
 * downloads are cancelled and the spell checker, which fetches dictionaries, is off.
 */
export function applySessionPolicy(
  session: PolicySession,
  origin: AppOrigin,
  log: PolicyLog = () => {},
): void {
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequestUrl(details.url, origin);
    if (!allowed) log(`Blocked request to ${details.url}`);
    callback({ cancel: !allowed });
  });
  const csp = origin.devServerUrl ? devContentSecurityPolicy() : contentSecurityPolicy();
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...withoutHeader(details.responseHeaders, 'content-security-policy'),
        'Content-Security-Policy': [csp],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
  session.setPermissionRequestHandler((_wc, permission, callback) => {
    log(`Denied permission request: ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback(null));
  session.setSpellCheckerEnabled(false);
  session.on('will-download', (event, item) => {
    log(`Cancelled download of ${item.getURL()}`);
    event.preventDefault();
  });
}

function withoutHeader(
  headers: Record<string, string[]> | undefined,
  name: string,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() !== name) out[k] = v;
  return out;
}
