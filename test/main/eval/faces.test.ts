import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/main/eval/faces';

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
