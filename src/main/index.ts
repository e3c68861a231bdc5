/** Electron main: lifecycle and wiring only; all behaviour lives in services. */
import { app, BrowserWindow, ipcMain } from 'electron';
import { join } from 'node:path';
import { composeApp } from './compose';
import { registerIpc } from './ipc/register';

const rendererUrl = process.env.ELECTRON_RENDERER_URL;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    show: false,
    title: 'Facet SR',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  if (rendererUrl) void win.loadURL(rendererUrl);
  else void win.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  return win;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(() => {
    const facet = composeApp({ dataDir: app.getPath('userData'), onInternalError: (e) => console.error(e) });
    let win: BrowserWindow | undefined = createWindow();
    win.on('closed', () => (win = undefined));
    registerIpc(
      ipcMain,
      facet.router,
      facet.events,
      () => win?.webContents,
      (event) => event.sender === win?.webContents,
    );
    app.on('second-instance', () => win?.focus());
    app.on('window-all-closed', () => {
      facet.close();
      app.quit();
    });
  });
}
