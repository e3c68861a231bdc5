import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { FacetError } from '../../shared/errors';

/**
 * The paths the user chose (a file dialog in the app, the command line in the CLI). Evidence is read only
 * from these, and archives and reports are written only to these, so a compromised renderer cannot make main
 * read or write anywhere else. Symlinks are resolved before the check.
 */
export class PathPolicy {
  private readonly files = new Set<string>();
  private readonly folders = new Set<string>();

  /** Allows one file the user picked. */
  allowFile(path: string): void {
    this.files.add(resolve(path));
  }

  /** Allows a folder the user picked, and everything under it. */
  allowFolder(path: string): void {
    this.folders.add(canonical(resolve(path)));
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
    if (this.files.has(given) || this.files.has(real) || this.underFolder(real)) return real;
    throw new FacetError(
      'invalid-input',
      `${given} is outside the files and folders you chose; pick it with the file dialog (or name it on the command line).`,
    );
  }

  /** Returns the path to write (its folder resolved), or throws naming why it is not allowed. */
  checkWrite(path: string): string {
    if (!isAbsolute(path)) throw new FacetError('invalid-input', `The path must be absolute: ${path}`);
    const given = resolve(path);
    const parent = canonical(resolve(given, '..'));
    const target = resolve(parent, given.slice(given.lastIndexOf(sep) + 1));
    if (this.files.has(given) || this.underFolder(target)) return target;
    throw new FacetError('invalid-input', `${given} is outside the files and folders you chose to save to.`);
  }

  private underFolder(real: string): boolean {
    for (const f of this.folders) {
      const rel = relative(f, real);
      if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return true;
    }
    return false;
  }
}

function canonical(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
