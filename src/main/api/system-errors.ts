import { FacetError } from '../../shared/errors';

/**
 * Names the failures that come from the machine, not from a bug: a full disk, a permission or a read-only file
 * system, a database another process kept busy past the timeout. Null for anything else (an internal error).
 */
export function systemError(err: unknown): FacetError | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const detail = err instanceof Error ? err.message : String(err);
  if (code === 'ENOSPC' || code === 'EDQUOT' || code.startsWith('SQLITE_FULL'))
    return new FacetError('io', `Not enough disk space: ${detail}. Free some space and try again.`);
  if (
    code === 'EACCES' ||
    code === 'EPERM' ||
    code.startsWith('SQLITE_PERM') ||
    code.startsWith('SQLITE_AUTH')
  )
    return new FacetError('io', `Permission denied: ${detail}.`);
  if (code === 'EROFS' || code.startsWith('SQLITE_READONLY'))
    return new FacetError(
      'io',
      `The data folder cannot be written (read-only file or file system): ${detail}.`,
    );
  if (code.startsWith('SQLITE_CANTOPEN'))
    return new FacetError(
      'io',
      `The case database cannot be opened (missing folder or permission): ${detail}.`,
    );
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return new FacetError(
      'conflict',
      `Another process kept the case database busy for too long (${detail}); try again when it has finished.`,
    );
  return null;
}
