/** The custom scheme that serves content-addressed case files: `facet-case://<caseId>/<sha256>`. */
export const CASE_SCHEME = 'facet-case';

/**
 * Privileges of the scheme, registered before the app is ready. Standard and secure so that the renderer
 * treats it like https (images, fetch); no CSP bypass, no service workers.
 */
export const CASE_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  bypassCSP: false,
  allowServiceWorkers: false,
  corsEnabled: false,
  stream: false,
  codeCache: false,
} as const;

/** The URL of one case file, as the renderer writes it in an `<img src>`. */
export function caseFileUrl(caseId: string, sha256: string): string {
  return `${CASE_SCHEME}://${caseId}/${sha256}`;
}
