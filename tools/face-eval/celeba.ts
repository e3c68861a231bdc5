import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Identity -> sorted files, identities ordered by their numeric suffix (celeb_0, celeb_1, ...). */
export function readCelebaManifest(dir: string): Map<string, string[]> {
  const rows = readFileSync(join(dir, 'manifest.csv'), 'utf8').trim().split('\n').slice(1);
  const byId = new Map<string, string[]>();
  for (const row of rows) {
    const [file, id] = row.split(',');
    if (!file || !id) continue;
    byId.set(id, [...(byId.get(id) ?? []), file]);
  }
  const num = (id: string) => Number(id.replace(/\D+/g, ''));
  return new Map([...byId.entries()].sort((a, b) => num(a[0]) - num(b[0])).map(([k, v]) => [k, v.sort()]));
}
