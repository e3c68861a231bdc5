/** Electron main: lifecycle and wiring only; all behaviour lives in services, all policy in shell/. */
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session } from 'electron';
import { appPaths } from './shell/app-paths';
import { electronDialogs } from './shell/dialogs';
import { startShell } from './shell/lifecycle';
import { safeStorageBox } from './shell/secret-box';
import { composeShellServices } from './shell/services';

const paths = appPaths({
  mainDir: import.meta.dirname,
  isPackaged: app.isPackaged,
  resourcesPath: process.resourcesPath,
});

startShell(
  { app, BrowserWindow, ipcMain, protocol, session },
  {
    rendererDir: paths.rendererDir,
    preload: paths.preload,
    modelsDir: paths.modelsDir,
    devServerUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
    dataDir: process.env.FACET_DATA_DIR,
    devTools: !app.isPackaged,
    // The inference engine runs in a worker thread (the bundled out/main/inference-worker.js).
    compose: ({ dataDir, modelsDir }) =>
      composeShellServices({
        dataDir,
        modelsDir,
        isPackaged: app.isPackaged,
        dialogs: electronDialogs(dialog, () => BrowserWindow.getFocusedWindow() ?? undefined),
        onInternalError: (e) => console.error(e),
        // The audit signing key is sealed with the OS keychain where safeStorage has one.
        secretBox: safeStorageBox(safeStorage),
      }),
    log: (message) => console.warn(`[facet] ${message}`),
  },
);
