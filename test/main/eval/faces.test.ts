import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCelebaSet, loadCropsSet, parseManifest, saveCrops } from '../../../src/main/eval/faces';
import { imageSha256 } from '../../../src/main/eval/images';
import { tempDir } from '../../helpers/temp-dir';

const shared = process.env.FACET_SHARED_DIR ?? join(import.meta.dirname, '../../../../shared');
const celeba = join(shared, 'data/eval/celeba');

describe('parseManifest', () => {
  it('reads file and identity columns and names a bad line', () => {
    expect(parseManifest('file,identity_folder,x\na.jpg,celeb_1,t\n\nb.jpg,celeb_2,t\n')).toEqual([
      { file: 'a.jpg', identity: 'celeb_1' },
      { file: 'b.jpg', identity: 'celeb_2' },
    ]);
    expect(() => parseManifest('file,identity_folder\n../etc/passwd,x\n')).toThrow(/line 2/);
    expect(() => parseManifest('name,id\n')).toThrow(/needs the columns/);
  });
});

describe.skipIf(!existsSync(celeba))('eval/celeba in the canonical frame', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());
  it('loads probes and a gallery with a different photo per identity, and round-trips through crops', async () => {
    const set = await loadCelebaSet(celeba, 3);
    expect(set.probes).toHaveLength(3);
    expect(set.gallery).toHaveLength(200);
    for (const p of set.probes) {
      expect(p.hr.width).toBe(128);
      const g = set.gallery.find((x) => x.identity === p.identity);
      expect(g && g.file !== p.file).toBe(true);
      // 8-bit values only.
      expect(p.hr.data.every((v) => Math.abs(v * 255 - Math.round(v * 255)) < 1e-4)).toBe(true);
    }
    await saveCrops(set, tmp.path);
    const back = await loadCropsSet(tmp.path);
    expect(back.probes.map((p) => p.identity)).toEqual(set.probes.map((p) => p.identity));
    expect(back.probes.map((p) => imageSha256(p.hr))).toEqual(set.probes.map((p) => imageSha256(p.hr)));
    expect(back.gallery).toHaveLength(200);
  });
});
