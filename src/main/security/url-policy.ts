import { fileURLToPath } from 'node:url';
import { isAbsolute, relative, resolve } from 'node:path';
import { CASE_SCHEME } from '../protocol/scheme';

/** Where the app's own pages come from: the built renderer folder, or the dev server in `npm run dev`. */
export interface AppOrigin {
  /** Absolute path of the built renderer folder (holding index.html). */
  readonly rendererDir: string;
  /** The electron-vite dev server URL, only in development. */
  readonly devServerUrl?: string | undefined;
}

/** Parses a URL, or returns null (no throwing on renderer-supplied strings). */
function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for a `file:` URL inside `dir` (after normalising `..` and percent-escapes). */
function isFileInside(url: URL, dir: string): boolean {
  if (url.protocol !== 'file:') return false;
  let path: string;
  try {
    path = resolve(fileURLToPath(url));
  } catch {
    return false;
  }
  const rel = relative(resolve(dir), path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** True when `url` is one of the app's own pages (the renderer's index.html or the dev server). */
export function isAppPageUrl(url: string, origin: AppOrigin): boolean {
  const u = parse(url);
  if (!u) return false;
  if (origin.devServerUrl) {
    const dev = parse(origin.devServerUrl);
    return dev !== null && (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === dev.origin;
  }
  return (
    isFileInside(u, origin.rendererDir) &&
    resolve(fileURLToPath(u)) === resolve(origin.rendererDir, 'index.html')
  );
}

/**
 * True when the session may load `url`: the renderer's own files, case files, inline data/blob URLs and
 * DevTools. Everything else (http, https, ws, ftp, other files on disk) is refused: the app is offline.
 */
export function isAllowedRequestUrl(url: string, origin: AppOrigin): boolean {
  const u = parse(url);
  if (!u) return false;
  switch (u.protocol) {
    case `${CASE_SCHEME}:`:
    case 'data:':
    case 'blob:':
    case 'devtools:':
      return true;
    case 'file:':
      return isFileInside(u, origin.rendererDir);
    case 'http:':
    case 'https:':
    case 'ws:':
    case 'wss:': {
      if (!origin.devServerUrl) return false;
      const dev = parse(origin.devServerUrl);
      if (!dev) return false;
      // The dev server's HMR socket shares its host and port.
      return u.hostname === dev.hostname && u.port === dev.port;
    }
    default:
      return false;
  }
}
