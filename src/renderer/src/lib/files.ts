/** Addresses of case files: the shell serves each stored object at facet-case://<caseId>/<sha256> (read-only). */

/** The URL of a content-addressed case file, for an <img src>. */
export function caseFileUrl(caseId: string, sha256: string): string {
  return `facet-case://${caseId}/${sha256}`;
}
