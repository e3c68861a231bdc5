import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../src/preload/bridge';
import { IPC_EVENT, IPC_INVOKE, type FacetBridge } from '../../src/shared/contract';

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
}));
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

  it('exposes only `facet`, with exactly invoke and onEvent, frozen', async () => {
    const bridge = await loadPreload();
    expect(electron.contextBridge.exposeInMainWorld.mock.calls).toEqual([['facet', bridge]]);
    expect(Object.getOwnPropertyNames(bridge).sort()).toEqual(['invoke', 'onEvent']);
    expect(typeof bridge.invoke).toBe('function');
    expect(typeof bridge.onEvent).toBe('function');
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

  it('uses the contract’s channel names', () => {
    expect(INVOKE_CHANNEL).toBe(IPC_INVOKE);
    expect(EVENT_CHANNEL).toBe(IPC_EVENT);
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
