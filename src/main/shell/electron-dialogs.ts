/** The contract's file dialogs over Electron's `dialog`, attached to the focused window. */
import type { BrowserWindow, Dialog, OpenDialogOptions } from 'electron';
import type { Dialogs } from '../api/handlers/dialogs';

const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp', 'tif', 'tiff', 'bmp'];

/** Native open dialogs; a cancelled dialog answers with nothing picked. */
export function electronDialogs(
  dialog: Pick<Dialog, 'showOpenDialog'>,
  parent: () => BrowserWindow | null,
): Dialogs {
  const open = async (options: OpenDialogOptions): Promise<string[]> => {
    const win = parent();
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return r.canceled ? [] : r.filePaths;
  };
  return {
    openImages: ({ title, multiple }) =>
      open({
        title,
        properties: multiple ? ['openFile', 'multiSelections'] : ['openFile'],
        filters: [{ name: 'Images', extensions: IMAGE_EXTENSIONS }],
      }),
    chooseFolder: async ({ title }) =>
      (await open({ title, properties: ['openDirectory', 'createDirectory'] }))[0] ?? null,
  };
}
