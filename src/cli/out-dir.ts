/** Checking and creating an output folder the user named, with one clear line for every way it can be wrong. */
import { existsSync, mkdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fsErrorWords } from '../main/imaging/read-file';
import { FacetError } from '../shared/errors';

/** Virtual file systems that are never an output folder. */
const VIRTUAL = ['/proc', '/sys', '/dev'];

/** The real path of `p`: its nearest existing ancestor resolved through links, plus the rest. */
function realOf(p: string): string {
  let head = p;
  while (!existsSync(head) && dirname(head) !== head) head = dirname(head);
  let real = head;
  try {
    real = realpathSync(head);
  } catch {
    /* unreadable: checked below when creating */
  }
  const rest = relative(head, p);
  return rest ? join(real, rest) : real;
}

/**
 * Makes sure `out` is (or can be made) a writable folder and returns its absolute path. Refuses /proc, /sys and
 * /dev, a path that is a file or runs through a file, and places that cannot be written, each in one line.
 */
export function prepareOutDir(out: string, flag = '--out'): string {
  const dir = resolve(out);
  const real = realOf(dir);
  const virtual = VIRTUAL.find((v) => real === v || real.startsWith(v + sep));
  if (virtual) {
    throw new FacetError(
      'invalid-input',
      `${flag} ${out} is inside ${virtual}, a system folder; choose a folder on a disk.`,
    );
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new FacetError('io', `${flag} ${out}: ${fsErrorWords(err)}.`);
  }
  if (!statSync(dir).isDirectory()) throw new FacetError('io', `${flag} ${out}: it is a file, not a folder.`);
  const probe = join(dir, `.facet-write-test-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (err) {
    const why = fsErrorWords(err);
    throw new FacetError(
      'io',
      `${flag} ${out}: ${why === 'permission denied' ? 'it is not writable' : why}.`,
    );
  }
  return dir;
}
