import type { IpcRenderer } from 'electron';
import type { DroppedFile, FacetBridge } from '../shared/contract';
import type { Result } from '../shared/errors';

// The contract's IPC_INVOKE and IPC_EVENT, copied so that the sandboxed preload imports no values from the
// contract (which would pull zod into a script that may only require 'electron'); a test keeps them equal.
/** The one invoke channel (contract IPC_INVOKE). */
export const INVOKE_CHANNEL = 'facet:invoke';
/** The event channel (contract IPC_EVENT). */
export const EVENT_CHANNEL = 'facet:event';
/** The dropped-files channel (contract IPC_DROPPED). */
export const DROPPED_CHANNEL = 'facet:dropped';
/** The most files one drop may hand main (main enforces the same limit). */
export const MAX_DROPPED = 100;

/** Electron's webUtils.getPathForFile: the OS path of a file the user dropped or picked, '' for any other. */
export type PathForFile = (file: DroppedFile) => string;

function refuse(message: string): Promise<Result<never>> {
  return Promise.resolve({ ok: false, error: { code: 'invalid-input', message } } as const);
}

/**
 * Builds `window.facet` over ipcRenderer: three functions, frozen. `importDropped` sends main only paths
 * that webUtils vouches for (a File the page built itself has none), so the page cannot name paths itself. Listeners receive the event name and
 * payload only, never Electron's event object (whose `sender` would hand the page ipcRenderer).
 */
export function createBridge(
  ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>,
  pathForFile: PathForFile,
): FacetBridge {
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
    importDropped: (files: readonly DroppedFile[]): Promise<Result<readonly string[]>> => {
      if (!Array.isArray(files) || files.length === 0) return refuse('Drop at least one file.');
      if (files.length > MAX_DROPPED) return refuse(`Drop at most ${MAX_DROPPED} files at once.`);
      const paths: string[] = [];
      for (const file of files as readonly unknown[]) {
        let path = '';
        try {
          path = pathForFile(file as DroppedFile);
        } catch {
          // Not a File at all: treated like a File without a path.
        }
        if (typeof path !== 'string' || path === '') {
          const name = (file as Partial<DroppedFile> | null)?.name;
          return refuse(
            `${typeof name === 'string' ? name : 'A file'} was not dropped from this computer's disk, so it cannot be imported.`,
          );
        }
        paths.push(path);
      }
      return ipc.invoke(DROPPED_CHANNEL, paths) as Promise<Result<readonly string[]>>;
    },
  });
}
