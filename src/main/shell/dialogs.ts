import type { BaseWindow, Dialog, OpenDialogOptions, SaveDialogOptions } from 'electron';

/** Native file dialogs as main's handlers use them; they return the chosen absolute paths (empty: cancelled). */
export interface FileDialogs {
  /** Pick evidence images. */
  openImages(options: { multiple: boolean }): Promise<string[]>;
  /** Pick a case archive or a run manifest. */
  openFile(kind: 'archive' | 'manifest'): Promise<string[]>;
  /** Pick where to save a report or an archive. */
  saveFile(suggestedName: string): Promise<string[]>;
}

/** Image types the evidence service accepts (sharp decodes them). */
export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp', 'tif', 'tiff', 'bmp', 'gif'];

const FILE_FILTERS = {
  archive: { name: 'Facet case archive', extensions: ['tar'] },
  manifest: { name: 'Run manifest', extensions: ['json'] },
} as const;

/** Electron's dialog module, shown over the app window (a test passes a double). */
export function electronDialogs(
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>,
  window: () => BaseWindow | undefined,
): FileDialogs {
  const open = async (options: OpenDialogOptions): Promise<string[]> => {
    const w = window();
    const r = await (w ? dialog.showOpenDialog(w, options) : dialog.showOpenDialog(options));
    return r.canceled ? [] : r.filePaths;
  };
  return {
    openImages: ({ multiple }) =>
      open({
        title: 'Import evidence images',
        properties: multiple ? ['openFile', 'multiSelections'] : ['openFile'],
        filters: [{ name: 'Images', extensions: IMAGE_EXTENSIONS }],
      }),
    openFile: (kind) =>
      open({
        properties: ['openFile'],
        filters: [{ ...FILE_FILTERS[kind], extensions: [...FILE_FILTERS[kind].extensions] }],
      }),
    saveFile: async (suggestedName) => {
      const options: SaveDialogOptions = { defaultPath: suggestedName, properties: ['createDirectory'] };
      const w = window();
      const r = await (w ? dialog.showSaveDialog(w, options) : dialog.showSaveDialog(options));
      return r.canceled || !r.filePath ? [] : [r.filePath];
    },
  };
}
