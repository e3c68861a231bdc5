import type { IpcRenderer } from 'electron';
import { IPC_EVENT, IPC_INVOKE, type FacetBridge } from '../shared/contract';
import type { Result } from '../shared/errors';

/**
 * Builds `window.facet` over ipcRenderer: two functions, frozen. Listeners receive the event name and
 * payload only, never Electron's event object (whose `sender` would hand the page ipcRenderer).
 */
export function createBridge(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): FacetBridge {
  return Object.freeze({
    invoke: (channel: string, input: unknown): Promise<Result<unknown>> => {
      if (typeof channel !== 'string') {
        return Promise.resolve({
          ok: false,
          error: { code: 'unknown-channel', message: 'An API call name must be a string.' },
        } as const);
      }
      return ipc.invoke(IPC_INVOKE, channel, input) as Promise<Result<unknown>>;
    },
    onEvent: (listener: (name: string, payload: unknown) => void): (() => void) => {
      if (typeof listener !== 'function') throw new TypeError('onEvent needs a function.');
      const wrapped = (_e: unknown, name: string, payload: unknown): void => listener(name, payload);
      ipc.on(IPC_EVENT, wrapped);
      return () => {
        ipc.removeListener(IPC_EVENT, wrapped);
      };
    },
  });
}
