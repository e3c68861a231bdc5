import type { IpcRenderer } from 'electron';
import type { FacetBridge } from '../shared/contract';
import type { Result } from '../shared/errors';

// The contract's IPC_INVOKE and IPC_EVENT, copied so that the sandboxed preload imports no values from the
// contract (which would pull zod into a script that may only require 'electron'); a test keeps them equal.
/** The one invoke channel (contract IPC_INVOKE). */
export const INVOKE_CHANNEL = 'facet:invoke';
/** The event channel (contract IPC_EVENT). */
export const EVENT_CHANNEL = 'facet:event';

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
      return ipc.invoke(INVOKE_CHANNEL, channel, input) as Promise<Result<unknown>>;
    },
    onEvent: (listener: (name: string, payload: unknown) => void): (() => void) => {
      if (typeof listener !== 'function') throw new TypeError('onEvent needs a function.');
      const wrapped = (_e: unknown, name: string, payload: unknown): void => listener(name, payload);
      ipc.on(EVENT_CHANNEL, wrapped);
      return () => {
        ipc.removeListener(EVENT_CHANNEL, wrapped);
      };
    },
  });
}
