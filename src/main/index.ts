/** Electron main: lifecycle and wiring only; all behaviour lives in services, all policy in shell/. */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, session } from 'electron';
import { composeApp } from './compose';
import { appPaths } from './shell/app-paths';
import { electronDialogs } from './shell/electron-dialogs';
import { startShell } from './shell/lifecycle';

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
    // When compose takes a models folder or a worker starter (shell/worker-host.ts), pass them here.
    compose: ({ dataDir }) =>
      composeApp({
        dataDir,
        onInternalError: (e) => console.error(e),
        dialogs: electronDialogs(dialog, () => BrowserWindow.getFocusedWindow()),
        faceModelsDir: join(paths.modelsDir, 'face'),
      }),
    log: (message) => console.warn(`[facet] ${message}`),
  },
);
