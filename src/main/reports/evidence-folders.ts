/**
 * `facet verify --evidence DIR`: the files of the folders given, hashed, so the manifest's evidence can be found by
 * content (any name) and a file bearing an evidence file's name but other bytes is named.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sha256Hex } from '../crypto';

const MAX_FILES = 5000;
const MAX_BYTES = 512 * 1024 ** 2;

/** SHA-256 -> path and file name -> hashes of the regular files under the folders (symlinks not followed). */
export function hashFolders(dirs: readonly string[]): {
  bySha: Map<string, string>;
  byName: Map<string, string[]>;
} {
  const bySha = new Map<string, string>();
  const byName = new Map<string, string[]>();
  let seen = 0;
  const walk = (dir: string, depth: number): void => {
    for (const name of readdirSync(dir).sort()) {
      if (seen >= MAX_FILES) return;
      const path = join(dir, name);
      const st = lstatSync(path);
      if (st.isDirectory() && depth < 8) walk(path, depth + 1);
      else if (st.isFile() && st.size <= MAX_BYTES) {
        seen += 1;
        const sha = sha256Hex(readFileSync(path));
        if (!bySha.has(sha)) bySha.set(sha, path);
        byName.set(basename(path), [...(byName.get(basename(path)) ?? []), sha]);
      }
    }
  };
  for (const d of dirs) walk(d, 0);
  return { bySha, byName };
}
