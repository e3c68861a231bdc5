/** Electron main: lifecycle and wiring only; all behaviour lives in services, all policy in shell/. */
import { app, BrowserWindow, ipcMain, protocol, session } from 'electron';
import { join } from 'node:path';
import { composeApp } from './compose';
import { startShell } from './shell/lifecycle';

const here = import.meta.dirname;

startShell(
  { app, BrowserWindow, ipcMain, protocol, session },
  {
    rendererDir: join(here, '../renderer'),
    preload: join(here, '../preload/index.cjs'),
    devServerUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
    dataDir: process.env.FACET_DATA_DIR,
    devTools: !app.isPackaged,
    compose: (dataDir) => composeApp({ dataDir, onInternalError: (e) => console.error(e) }),
    log: (message) => console.warn(`[facet] ${message}`),
  },
);
