/**
 * The renderer's Content-Security-Policy. One definition serves the response header (set by the session
 * policy) and the `<meta>` tag in `src/renderer/index.html`; a test keeps the two identical.
 */
import { CASE_SCHEME } from '../protocol/scheme';

/** Directives of the policy, in the order they are written. */
export const CSP_DIRECTIVES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['default-src', ["'none'"]],
  ['script-src', ["'self'"]],
  // React and the UI set inline style attributes; no inline scripts are allowed.
  ['style-src', ["'self'", "'unsafe-inline'"]],
  ['img-src', ["'self'", 'data:', 'blob:', `${CASE_SCHEME}:`]],
  ['font-src', ["'self'"]],
  // Case files may be fetched as blobs (e.g. to draw on a canvas); nothing else is reachable.
  ['connect-src', [`${CASE_SCHEME}:`]],
  ['worker-src', ["'self'"]],
  ['object-src', ["'none'"]],
  ['frame-src', ["'none'"]],
  ['base-uri', ["'none'"]],
  ['form-action', ["'none'"]],
];

/** Directives a `<meta>` CSP cannot carry (browsers ignore them there); header only. */
const HEADER_ONLY: ReadonlyArray<readonly [string, readonly string[]]> = [['frame-ancestors', ["'none'"]]];

/** The policy as sent in the `Content-Security-Policy` response header. */
export function contentSecurityPolicy(): string {
  return serialise([...CSP_DIRECTIVES, ...HEADER_ONLY]);
}

/** The policy as written in the renderer's `<meta http-equiv="Content-Security-Policy">`. */
export function metaContentSecurityPolicy(): string {
  return serialise(CSP_DIRECTIVES);
}

/**
 * The policy during `npm run dev` only: Vite's dev server injects an inline React-refresh preamble and talks
 * to its HMR socket on its own origin. The packaged app never uses it.
 */
export function devContentSecurityPolicy(): string {
  return serialise(
    [...CSP_DIRECTIVES, ...HEADER_ONLY].map(([name, sources]) => {
      if (name === 'script-src') return [name, [...sources, "'unsafe-inline'"]] as const;
      if (name === 'connect-src') return [name, ["'self'", ...sources]] as const;
      return [name, sources] as const;
    }),
  );
}

/** Replaces the CSP meta of an index.html with the development policy (for the dev server only). */
export function withDevCsp(html: string): string {
  const dev = devContentSecurityPolicy().replace(/; frame-ancestors [^;]*/, '');
  return html.replace(/(http-equiv="Content-Security-Policy"\s+content=")[^"]*"/, `$1${dev}"`);
}

/** Parses a CSP string into directive -> sources, for comparing policies regardless of spacing. */
export function parseCsp(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}

function serialise(directives: ReadonlyArray<readonly [string, readonly string[]]>): string {
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}
