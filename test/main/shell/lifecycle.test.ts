import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../../src/main/events';
import { IPC_DROPPED, IPC_INVOKE } from '../../../src/shared/contract';
import { startShell, type ElectronModules, type ShellConfig } from '../../../src/main/shell/lifecycle';

const RENDERER = join('/opt', 'facet', 'out', 'renderer');

/** Doubles for every Electron module the shell touches, recording what it does in order. */
function fakeElectron(lock = true) {
  const order: string[] = [];
  let ready!: () => void;
  const readyPromise = new Promise<void>((r) => (ready = r));
  const app = Object.assign(new EventEmitter(), {
    requestSingleInstanceLock: vi.fn(() => lock),
    quit: vi.fn(() => order.push('quit')),
    whenReady: vi.fn(() => readyPromise),
    getPath: vi.fn(() => '/home/u/.config/Facet SR'),
    enableSandbox: vi.fn(() => order.push('enableSandbox')),
  });
  const windows: FakeWindow[] = [];
  class FakeWindow extends EventEmitter {
    readonly webContents = { isDestroyed: () => false, send: vi.fn() };
    readonly loadFile = vi.fn(async () => void order.push('loadFile'));
    readonly loadURL = vi.fn(async () => void order.push('loadURL'));
    readonly show = vi.fn();
    readonly focus = vi.fn();
    readonly restore = vi.fn();
    readonly isMinimized = vi.fn(() => true);
    constructor(readonly options: unknown) {
      super();
      order.push('BrowserWindow');
      windows.push(this);
    }
  }
  const ipcMain = {
    handle: vi.fn((_channel: string, _handler: unknown) => void order.push('ipc')),
    removeHandler: vi.fn(),
  };
  const protocol = {
    handle: vi.fn(() => order.push('protocol')),
    unhandle: vi.fn(),
    registerSchemesAsPrivileged: vi.fn(() => order.push('schemes')),
  };
  const defaultSession = {
    webRequest: { onBeforeRequest: vi.fn(() => order.push('session')), onHeadersReceived: vi.fn() },
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
    setDisplayMediaRequestHandler: vi.fn(),
    setSpellCheckerEnabled: vi.fn(),
    on: vi.fn(),
  };
  const modules = { app, BrowserWindow: FakeWindow, ipcMain, protocol, session: { defaultSession } };
  return { modules: modules as unknown as ElectronModules, app, windows, ipcMain, protocol, order, ready };
}

function config(overrides: Partial<ShellConfig> = {}) {
  const services = { router: vi.fn(), events: new EventBus(), close: vi.fn() };
  const compose = vi.fn(() => services);
  const cfg: ShellConfig = {
    rendererDir: RENDERER,
    preload: '/opt/facet/out/preload/index.cjs',
    devTools: false,
    modelsDir: '/opt/facet/models',
    compose,
    log: vi.fn(),
    ...overrides,
  };
  return { cfg, services, compose };
}

describe('app lifecycle', () => {
  it('quits a second instance without creating anything', () => {
    const e = fakeElectron(false);
    const { cfg, compose } = config();
    expect(startShell(e.modules, cfg).primary).toBe(false);
    expect(e.app.quit).toHaveBeenCalledOnce();
    expect(e.app.whenReady).not.toHaveBeenCalled();
    expect(compose).not.toHaveBeenCalled();
    expect(e.protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
  });

  it('registers the scheme and sandbox before ready, then locks the session down before the window loads', async () => {
    const e = fakeElectron();
    const { cfg, compose } = config();
    const shell = startShell(e.modules, cfg);
    expect(e.order).toEqual(['enableSandbox', 'schemes']);
    expect(e.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      {
        scheme: 'facet-case',
        privileges: expect.objectContaining({ standard: true, secure: true, bypassCSP: false }),
      },
    ]);
    e.ready();
    await shell.ready;
    expect(compose).toHaveBeenCalledWith({
      dataDir: '/home/u/.config/Facet SR',
      modelsDir: '/opt/facet/models',
    });
    expect(e.order).toEqual([
      'enableSandbox',
      'schemes',
      'session',
      'protocol',
      'BrowserWindow',
      'ipc',
      'loadFile',
    ]);
    const win = e.windows[0]!;
    expect(win.options).toMatchObject({
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, preload: cfg.preload },
    });
    expect(win.loadFile).toHaveBeenCalledWith(join(RENDERER, 'index.html'));
    expect(e.ipcMain.handle).toHaveBeenCalledWith(IPC_INVOKE, expect.any(Function));
  });

  it('uses FACET_DATA_DIR’s folder and the dev server when given', async () => {
    const e = fakeElectron();
    const { cfg, compose } = config({ dataDir: '/data/facet', devServerUrl: 'http://localhost:5173/' });
    const shell = startShell(e.modules, cfg);
    e.ready();
    await shell.ready;
    expect(compose).toHaveBeenCalledWith({ dataDir: '/data/facet', modelsDir: '/opt/facet/models' });
    expect(e.windows[0]!.loadURL).toHaveBeenCalledWith('http://localhost:5173/');
  });

  it('hardens every WebContents that is created', () => {
    const e = fakeElectron();
    startShell(e.modules, config().cfg);
    const contents = { on: vi.fn(), setWindowOpenHandler: vi.fn() };
    e.app.emit('web-contents-created', {}, contents);
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
    expect(contents.on).toHaveBeenCalledWith('will-navigate', expect.any(Function));
  });

  it('answers IPC only from its own window, showing the app', async () => {
    const e = fakeElectron();
    const { cfg, services } = config();
    services.router.mockResolvedValue({ ok: true, value: [] });
    const shell = startShell(e.modules, cfg);
    e.ready();
    await shell.ready;
    const invoke = e.ipcMain.handle.mock.calls[0]![1] as (ev: unknown, c: unknown, i: unknown) => unknown;
    const win = e.windows[0]!;
    const appUrl = pathToFileURL(join(RENDERER, 'index.html')).href;
    await invoke({ sender: win.webContents, senderFrame: { parent: null, url: appUrl } }, 'cases.list', {});
    expect(services.router).toHaveBeenCalledOnce();
    const refused = await invoke(
      { sender: {}, senderFrame: { parent: null, url: appUrl } },
      'cases.list',
      {},
    );
    expect(refused).toMatchObject({ ok: false });
    expect(services.router).toHaveBeenCalledOnce();
  });

  it('accepts dropped files into the path policy only from its own window, and only when given a policy', async () => {
    const bare = fakeElectron();
    const noPolicy = startShell(bare.modules, config().cfg);
    bare.ready();
    await noPolicy.ready;
    expect(bare.ipcMain.handle.mock.calls.map((c) => c[0])).toEqual([IPC_INVOKE]);

    const e = fakeElectron();
    const { cfg, services } = config();
    const allowRead = vi.fn();
    Object.assign(services, { paths: { allowRead } });
    const shell = startShell(e.modules, cfg);
    e.ready();
    await shell.ready;
    const entry = e.ipcMain.handle.mock.calls.find((c) => c[0] === IPC_DROPPED);
    const dropped = entry![1] as (ev: unknown, input: unknown) => unknown;
    const win = e.windows[0]!;
    const appUrl = pathToFileURL(join(RENDERER, 'index.html')).href;
    const refused = dropped({ sender: {}, senderFrame: { parent: null, url: appUrl } }, ['/home/u/a.jpg']);
    expect(refused).toMatchObject({ ok: false });
    expect(allowRead).not.toHaveBeenCalled();
    const ok = dropped({ sender: win.webContents, senderFrame: { parent: null, url: appUrl } }, [
      '/home/u/a.jpg',
    ]);
    expect(ok).toEqual({ ok: true, value: ['/home/u/a.jpg'] });
    expect(allowRead.mock.calls).toEqual([['/home/u/a.jpg']]);
    win.emit('closed');
    e.app.emit('window-all-closed');
    expect(e.ipcMain.removeHandler).toHaveBeenCalledWith(IPC_DROPPED);
  });

  it('focuses the window on a second launch and closes services when the window closes', async () => {
    const e = fakeElectron();
    const { cfg, services } = config();
    const shell = startShell(e.modules, cfg);
    e.ready();
    await shell.ready;
    const win = e.windows[0]!;
    e.app.emit('second-instance');
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
    win.emit('ready-to-show');
    expect(win.show).toHaveBeenCalled();
    win.emit('closed');
    e.app.emit('window-all-closed');
    expect(services.close).toHaveBeenCalledOnce();
    expect(e.ipcMain.removeHandler).toHaveBeenCalledWith(IPC_INVOKE);
    expect(e.protocol.unhandle).toHaveBeenCalledWith('facet-case');
    expect(e.app.quit).toHaveBeenCalledOnce();
  });
});
