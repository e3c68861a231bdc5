import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DROPPED_CHANNEL, EVENT_CHANNEL, INVOKE_CHANNEL, MAX_DROPPED } from '../../src/preload/bridge';
import { MAX_DROPPED as MAIN_MAX_DROPPED } from '../../src/main/ipc/dropped-files';
import { IPC_DROPPED, IPC_EVENT, IPC_INVOKE, type FacetBridge } from '../../src/shared/contract';

// The preload's only import from Electron, replaced at the module boundary.
const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: {
    invoke: vi.fn(async () => ({ ok: true, value: 'pong' })),
    on: vi.fn(),
    removeListener: vi.fn(),
    send: vi.fn(),
    sendSync: vi.fn(),
  },
  // Electron's webUtils knows the OS path of files the user dropped; here, of the files in `dropped`.
  webUtils: { getPathForFile: vi.fn((f: object) => dropped.get(f) ?? '') },
}));
const dropped = vi.hoisted(() => new WeakMap<object, string>());
/** A File as the OS hands Electron one dropped from disk. */
function droppedFile(name: string, path: string): File {
  const f = new File([new Uint8Array([1, 2, 3])], name);
  dropped.set(f, path);
  return f;
}
vi.mock('electron', () => electron);

async function loadPreload(): Promise<FacetBridge> {
  vi.resetModules();
  electron.contextBridge.exposeInMainWorld.mockClear();
  await import('../../src/preload/index');
  expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
  return electron.contextBridge.exposeInMainWorld.mock.calls[0]![1] as FacetBridge;
}

describe('preload', () => {
  beforeEach(() => {
    electron.ipcRenderer.invoke.mockClear();
    electron.ipcRenderer.on.mockClear();
    electron.ipcRenderer.removeListener.mockClear();
  });

  it('exposes only `facet`, with exactly invoke, onEvent and importDropped, frozen', async () => {
    const bridge = await loadPreload();
    expect(electron.contextBridge.exposeInMainWorld.mock.calls).toEqual([['facet', bridge]]);
    expect(Object.getOwnPropertyNames(bridge).sort()).toEqual(['importDropped', 'invoke', 'onEvent']);
    expect(typeof bridge.invoke).toBe('function');
    expect(typeof bridge.onEvent).toBe('function');
    expect(typeof bridge.importDropped).toBe('function');
    expect(Object.isFrozen(bridge)).toBe(true);
    for (const value of Object.values(bridge)) expect(value).not.toBe(electron.ipcRenderer);
  });

  it('invokes through the one contract channel and returns main’s result', async () => {
    const bridge = await loadPreload();
    await expect(bridge.invoke('cases.list', {})).resolves.toEqual({ ok: true, value: 'pong' });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(IPC_INVOKE, 'cases.list', {});
  });

  it('refuses a non-string channel without calling main', async () => {
    const bridge = await loadPreload();
    const res = await bridge.invoke(42 as unknown as string, {});
    expect(res).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('hands listeners the event name and payload only, never the IPC event (or its sender)', async () => {
    const bridge = await loadPreload();
    const listener = vi.fn();
    const off = bridge.onEvent(listener);
    expect(electron.ipcRenderer.on).toHaveBeenCalledWith(IPC_EVENT, expect.any(Function));
    const wrapped = electron.ipcRenderer.on.mock.calls[0]![1] as (...a: unknown[]) => void;
    wrapped({ sender: electron.ipcRenderer }, 'job.progress', { step: 1 });
    expect(listener.mock.calls).toEqual([['job.progress', { step: 1 }]]);
    off();
    expect(electron.ipcRenderer.removeListener).toHaveBeenCalledWith(IPC_EVENT, wrapped);
  });

  it('uses the contract’s channel names, and main’s limit on a drop', () => {
    expect(INVOKE_CHANNEL).toBe(IPC_INVOKE);
    expect(EVENT_CHANNEL).toBe(IPC_EVENT);
    expect(DROPPED_CHANNEL).toBe(IPC_DROPPED);
    expect(MAX_DROPPED).toBe(MAIN_MAX_DROPPED);
  });

  it('sends main the webUtils paths of dropped files on the dropped-files channel', async () => {
    const bridge = await loadPreload();
    const files = [droppedFile('a.jpg', '/home/u/a.jpg'), droppedFile('b.png', '/home/u/b.png')];
    await expect(bridge.importDropped(files)).resolves.toEqual({ ok: true, value: 'pong' });
    expect(electron.webUtils.getPathForFile).toHaveBeenCalledWith(files[0]);
    expect(electron.ipcRenderer.invoke.mock.calls).toEqual([
      [IPC_DROPPED, ['/home/u/a.jpg', '/home/u/b.png']],
    ]);
  });

  it('refuses synthetic files (no path from webUtils) without calling main, even beside real ones', async () => {
    const bridge = await loadPreload();
    const forged = new File([new Uint8Array([0xff, 0xd8])], 'forged.jpg');
    const res = await bridge.importDropped([droppedFile('a.jpg', '/home/u/a.jpg'), forged]);
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(!res.ok && res.error.message).toContain('forged.jpg was not dropped');
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('refuses non-files, empty drops and oversized drops without calling main', async () => {
    const bridge = await loadPreload();
    electron.webUtils.getPathForFile.mockImplementationOnce(() => {
      throw new TypeError('not a File');
    });
    const bad: unknown[] = [[{ name: '/etc/passwd' }], [], 'x.jpg', null];
    for (const input of bad) {
      const res = await bridge.importDropped(input as File[]);
      expect(res, JSON.stringify(input)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
    const many = Array.from({ length: MAX_DROPPED + 1 }, (_, i) => droppedFile(`${i}.jpg`, `/d/${i}.jpg`));
    await expect(bridge.importDropped(many)).resolves.toMatchObject({ ok: false });
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('imports at run time only electron and its own files (a sandboxed preload can require nothing else)', () => {
    const dir = join(import.meta.dirname, '../../src/preload');
    let checked = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      for (const m of source.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
        if (m[1]) continue;
        expect(m[2], `${file} imports ${m[2]}`).toMatch(/^(electron|\.\/[\w-]+)$/);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(2);
  });
});
