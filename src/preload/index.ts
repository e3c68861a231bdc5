/** Exposes exactly the API contract to the renderer as `window.facet`; no ipcRenderer leaks through. */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_EVENT, IPC_INVOKE, type FacetBridge } from '../shared/contract';
import type { Result } from '../shared/errors';

const bridge: FacetBridge = {
  invoke: (channel, input) => ipcRenderer.invoke(IPC_INVOKE, channel, input) as Promise<Result<unknown>>,
  onEvent: (listener) => {
    const wrapped = (_e: unknown, name: string, payload: unknown): void => listener(name, payload);
    ipcRenderer.on(IPC_EVENT, wrapped);
    return () => ipcRenderer.removeListener(IPC_EVENT, wrapped);
  },
};

contextBridge.exposeInMainWorld('facet', bridge);
