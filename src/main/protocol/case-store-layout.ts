import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolveCaseFile } from './case-protocol';

/**
 * A resolver over the case store's on-disk layout, `<dataDir>/cases/<caseId>/objects/<sha[0:2]>/<sha>`.
 * The shell uses it until the store exposes its own `resolveCaseFile`; an object that is not on disk in
 * that case's folder is not in the case. Ids and hashes reach it already validated by `parseCaseUrl`, and
 * no folder below `cases/` may be a symlink (a linked folder could point anywhere on disk).
 */
export function caseStoreResolver(dataDir: string): ResolveCaseFile {
  const casesDir = join(dataDir, 'cases');
  return (caseId, sha256) => {
    const steps = [caseId, 'objects', sha256.slice(0, 2), sha256];
    let path = casesDir;
    for (const [i, step] of steps.entries()) {
      path = join(path, step);
      try {
        const stat = lstatSync(path);
        if (i < steps.length - 1 && !stat.isDirectory()) return null;
      } catch {
        return null;
      }
    }
    return path;
  };
}
