import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { appPaths } from '../../../src/main/shell/app-paths';

// Electron's modules and the services, replaced at the module boundary: importing main must only wire.
const electron = vi.hoisted(() => ({
  app: {
    isPackaged: false,
    requestSingleInstanceLock: vi.fn(() => true),
    enableSandbox: vi.fn(),
    on: vi.fn(),
    quit: vi.fn(),
    whenReady: vi.fn(() => new Promise<void>(() => {})),
    getPath: vi.fn(),
  },
  BrowserWindow: vi.fn(),
  dialog: { showOpenDialog: vi.fn(), showSaveDialog: vi.fn() },
  ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
  protocol: { handle: vi.fn(), unhandle: vi.fn(), registerSchemesAsPrivileged: vi.fn() },
  session: {},
}));
vi.mock('electron', () => electron);
vi.mock('../../../src/main/compose', () => ({ composeApp: vi.fn() }));

describe('main entry', () => {
  it('starts the shell: single-instance lock, sandbox, case scheme, then waits for ready', async () => {
    await import('../../../src/main/index');
    expect(electron.app.requestSingleInstanceLock).toHaveBeenCalledOnce();
    expect(electron.app.enableSandbox).toHaveBeenCalledOnce();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: 'facet-case' }),
    ]);
    expect(electron.app.on).toHaveBeenCalledWith('web-contents-created', expect.any(Function));
    expect(electron.app.whenReady).toHaveBeenCalledOnce();
  });
});

describe('app paths', () => {
  it('finds renderer, preload and models next to the built main script, or in resources when packaged', () => {
    const mainDir = join('/repo', 'out', 'main');
    expect(appPaths({ mainDir, isPackaged: false, resourcesPath: '/x' })).toEqual({
      rendererDir: join('/repo', 'out', 'renderer'),
      preload: join('/repo', 'out', 'preload', 'index.cjs'),
      modelsDir: join('/repo', 'models'),
    });
    expect(appPaths({ mainDir, isPackaged: true, resourcesPath: '/opt/Facet SR/resources' }).modelsDir).toBe(
      join('/opt/Facet SR/resources', 'models'),
    );
  });
});
