import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { callOrThrow } from '../../../src/main/api/router';
import { composeApp } from '../../../src/main/compose';
import { electronDialogs, IMAGE_EXTENSIONS } from '../../../src/main/shell/dialogs';
import { tempDir } from '../../helpers/temp-dir';
import { writePhoto } from '../../helpers/case-fixture';

/** A double of Electron's dialog module that answers with fixed choices. */
function dialogDouble(open: string[], save?: string) {
  return {
    showOpenDialog: vi.fn(async () => ({ canceled: open.length === 0, filePaths: open })),
    showSaveDialog: vi.fn(async () => ({ canceled: save === undefined, filePath: save ?? '' })),
  };
}

describe('native file dialogs', () => {
  it('asks Electron for images over the app window, with image filters', async () => {
    const dialog = dialogDouble(['/a/x.png', '/a/y.jpg']);
    const win = { id: 1 };
    const d = electronDialogs(dialog as never, () => win as never);
    expect(await d.openImages({ multiple: true })).toEqual(['/a/x.png', '/a/y.jpg']);
    expect(dialog.showOpenDialog).toHaveBeenCalledWith(
      win,
      expect.objectContaining({
        properties: ['openFile', 'multiSelections'],
        filters: [{ name: 'Images', extensions: IMAGE_EXTENSIONS }],
      }),
    );
    expect(
      await electronDialogs(dialogDouble([]) as never, () => undefined).openImages({ multiple: false }),
    ).toEqual([]);
    expect(
      await electronDialogs(dialogDouble([], '/r/report.pdf') as never, () => undefined).saveFile('r.pdf'),
    ).toEqual(['/r/report.pdf']);
  });

  it('makes a chosen image importable, and only that one', async () => {
    const tmp = tempDir('facet-dialogs-');
    const dir = tmp.path;
    const chosen = await writePhoto(dir, 'chosen.png');
    const other = await writePhoto(dir, 'other.png', 96, 96, 1);
    const app = composeApp({
      dataDir: join(dir, 'data'),
      dialogs: electronDialogs(dialogDouble([chosen]) as never, () => undefined),
    });
    try {
      const caseId = (await callOrThrow(app.router, 'cases.create', { name: 'Dialogs' })).id;
      const before = await app.router('evidence.import', { caseId, path: chosen });
      expect(before).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(await callOrThrow(app.router, 'dialogs.openImages', { multiple: true })).toEqual({
        paths: [chosen],
      });
      expect(await app.router('evidence.import', { caseId, path: chosen })).toMatchObject({ ok: true });
      expect(await app.router('evidence.import', { caseId, path: other })).toMatchObject({
        ok: false,
        error: { code: 'invalid-input' },
      });
    } finally {
      app.close();
      tmp.remove();
    }
  });

  it('an opened file can be read, never written; a saved one written, never read', async () => {
    const tmp = tempDir('facet-dialogs-');
    const opened = realpathSync(await writePhoto(tmp.path, 'opened.png'));
    const saved = join(realpathSync(tmp.path), 'saved.tar');
    writeFileSync(saved, 'x');
    const app = composeApp({
      dataDir: join(tmp.path, 'data'),
      dialogs: electronDialogs(dialogDouble([opened], saved) as never, () => undefined),
    });
    try {
      await callOrThrow(app.router, 'dialogs.openImages', { multiple: false });
      await callOrThrow(app.router, 'dialogs.saveFile', { suggestedName: 'saved.tar' });
      expect(app.paths.checkRead(opened)).toBe(opened);
      expect(app.paths.checkWrite(saved)).toBe(saved);
      expect(() => app.paths.checkWrite(opened)).toThrow(
        /outside the files and folders you chose to save to/,
      );
      expect(() => app.paths.checkRead(saved)).toThrow(/outside the files and folders you chose to open/);
    } finally {
      app.close();
      tmp.remove();
    }
  });

  it('answers clearly where there are no native dialogs (CLI, E2E harness)', async () => {
    const tmp = tempDir('facet-dialogs-');
    const app = composeApp({ dataDir: join(tmp.path, 'data') });
    try {
      expect(await app.router('dialogs.openImages', {})).toMatchObject({
        ok: false,
        error: { code: 'invalid-input', message: /desktop app/ },
      });
    } finally {
      app.close();
      tmp.remove();
    }
  });
});
