/**
 * Cases, evidence and runs named on the command line: by UUID, by a unique prefix of it, or by name (a case's
 * name, an evidence file's original name). An unknown or ambiguous name is one line that says which.
 */
import { callOrThrow, type Router } from '../main/api/router';
import type { Case, Evidence, Run } from '../shared/contract';
import { FacetError } from '../shared/errors';

/** The one item `ref` names among `items`: exact id, unique id prefix, then exact name (case-insensitive last). */
export function pick<T extends { id: string }>(
  items: readonly T[],
  ref: string,
  what: string,
  nameOf: (t: T) => string | null,
): T {
  const r = ref.trim();
  if (r === '')
    throw new FacetError('invalid-input', `Name the ${what} (its id, a prefix of it, or its name).`);
  const byId = items.find((t) => t.id === r);
  if (byId) return byId;
  const tries: Array<(t: T) => boolean> = [
    (t) => t.id.startsWith(r.toLowerCase()),
    (t) => nameOf(t) === r,
    (t) => nameOf(t)?.toLowerCase() === r.toLowerCase(),
  ];
  for (const test of tries) {
    const found = items.filter(test);
    if (found.length === 1) return found[0]!;
    if (found.length > 1) {
      const list = found
        .slice(0, 4)
        .map((t) => `${t.id.slice(0, 8)}${nameOf(t) ? ` (${nameOf(t)})` : ''}`)
        .join(', ');
      throw new FacetError(
        'invalid-input',
        `"${r}" names ${found.length} ${what}s: ${list}${found.length > 4 ? ', ...' : ''}; give more of the id.`,
      );
    }
  }
  throw new FacetError('not-found', `No ${what} "${r}".`);
}

/** The case named by `ref`. */
export async function resolveCase(router: Router, ref: string): Promise<Case> {
  return pick(await callOrThrow(router, 'cases.list', {}), ref, 'case', (c) => c.name);
}

/** The evidence of a case named by `ref` (id, id prefix or original file name). */
export async function resolveEvidence(router: Router, caseId: string, ref: string): Promise<Evidence> {
  return pick(await callOrThrow(router, 'evidence.list', { caseId }), ref, 'evidence', (e) => e.originalName);
}

/** The run of a case named by `ref` (id or id prefix). */
export async function resolveRun(router: Router, caseId: string, ref: string): Promise<Run> {
  return pick(await callOrThrow(router, 'runs.list', { caseId }), ref, 'run', () => null);
}
