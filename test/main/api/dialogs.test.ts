/** The dialog calls: what the user picks is allowed by the path policy; nothing else is; no dialogs, clear error. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { composeApp, type App } from '../../../src/main/compose';
import { electronDialogs } from '../../../src/main/shell/electron-dialogs';
import { tempDir } from '../../helpers/temp-dir';

describe('dialogs.* calls', () => {
  const dirs: { remove(): void }[] = [];
  let app: App | undefined;
  afterEach(() => {
    app?.close();
    dirs.splice(0).forEach((d) => d.remove());
  });

  it('allows exactly the picked file for import, and answers a cancel with nothing', async () => {
    const data = tempDir();
    const files = tempDir();
    dirs.push(data, files);
    const picked = join(files.path, 'still.png');
    const other = join(files.path, 'other.png');
    writeFileSync(picked, 'x');
    writeFileSync(other, 'x');
    let answer: string[] = [picked];
    const shown: unknown[] = [];
    const fakeDialog = {
      showOpenDialog: async (opts: unknown) => {
        shown.push(opts);
        return { canceled: answer.length === 0, filePaths: answer };
      },
    };
    app = composeApp({
      dataDir: data.path,
      dialogs: electronDialogs(fakeDialog as never, () => null),
    });
    const r = await app.router('dialogs.openImages', { title: 'Import', multiple: false });
    expect(r).toEqual({ ok: true, value: { paths: [picked] } });
    expect(shown[0]).toMatchObject({ title: 'Import', properties: ['openFile'] });
    expect(app.paths.checkRead(picked)).toContain('still.png');
    expect(() => app!.paths.checkRead(other)).toThrow(/outside the files and folders you chose/);
    answer = [];
    await expect(app.router('dialogs.chooseFolder', { title: 'Save' })).resolves.toEqual({
      ok: true,
      value: { path: null },
    });
  });

  it('names the problem where there are no dialogs (CLI)', async () => {
    const data = tempDir();
    dirs.push(data);
    app = composeApp({ dataDir: data.path });
    const r = await app.router('dialogs.openImages', { title: 'Import' });
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict', message: /not available here/ } });
  });
});
