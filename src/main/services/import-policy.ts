import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { FacetError } from '../../shared/errors';

/** What a chosen path may be used for. */
export type PathAccess = 'read' | 'write' | 'read-write';

/**
 * The paths the user chose (a file dialog in the app, the command line in the CLI), each for reading or for writing.
 * Evidence, archives and manifests are read only from paths chosen to open, and archives and reports are written only
 * to paths chosen to save, so a compromised renderer cannot make main read or write anywhere else, nor overwrite a
 * file the user only opened. Symlinks are resolved before the check.
 */
export class PathPolicy {
  private readonly files = new Map<string, Set<'read' | 'write'>>();
  private readonly folders = new Map<string, Set<'read' | 'write'>>();

  /** Allows one file the user picked to open. */
  allowRead(path: string): void {
    this.allowFile(path, 'read');
  }

  /** Allows one file the user picked to save to. */
  allowWrite(path: string): void {
    this.allowFile(path, 'write');
  }

  /** Allows one file the user picked (default: to open and to save, as tests and scripts name both). */
  allowFile(path: string, access: PathAccess = 'read-write'): void {
    add(this.files, resolve(path), access);
  }

  /** Allows a folder the user picked, and everything under it. */
  allowFolder(path: string, access: PathAccess = 'read-write'): void {
    add(this.folders, canonical(resolve(path)), access);
  }

  /** Returns the real path of a file to read, or throws naming why it is not allowed. */
  checkRead(path: string): string {
    if (!isAbsolute(path)) throw new FacetError('invalid-input', `The path must be absolute: ${path}`);
    const given = resolve(path);
    let real: string;
    try {
      real = realpathSync(given);
    } catch {
      throw new FacetError('invalid-input', `No such file: ${given}`);
    }
    if (this.has(given, 'read') || this.has(real, 'read') || this.underFolder(real, 'read')) return real;
    throw new FacetError(
      'invalid-input',
      `${given} is outside the files and folders you chose to open; pick it with the file dialog (or name it on the command line).`,
    );
  }

  /** Returns the path to write (its folder resolved), or throws naming why it is not allowed. */
  checkWrite(path: string): string {
    if (!isAbsolute(path)) throw new FacetError('invalid-input', `The path must be absolute: ${path}`);
    const given = resolve(path);
    const parent = canonical(resolve(given, '..'));
    const target = resolve(parent, given.slice(given.lastIndexOf(sep) + 1));
    if (this.has(given, 'write') || this.underFolder(target, 'write')) return target;
    throw new FacetError('invalid-input', `${given} is outside the files and folders you chose to save to.`);
  }

  private has(path: string, access: 'read' | 'write'): boolean {
    return this.files.get(path)?.has(access) === true;
  }

  private underFolder(real: string, access: 'read' | 'write'): boolean {
    for (const [f, modes] of this.folders) {
      if (!modes.has(access)) continue;
      const rel = relative(f, real);
      if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return true;
    }
    return false;
  }
}

function add(map: Map<string, Set<'read' | 'write'>>, key: string, access: PathAccess): void {
  const modes = map.get(key) ?? new Set<'read' | 'write'>();
  if (access !== 'write') modes.add('read');
  if (access !== 'read') modes.add('write');
  map.set(key, modes);
}

function canonical(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
