import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from '../../shared/contract';
import type { Router } from '../api/router';
import type { EventBus } from '../events';

/**
 * Registers the contract on ipcMain: one invoke channel, routed and validated by the router, and the
 * event channel forwarded to the window. Calls from any frame other than the app's own are refused before
 * the router (and so any service) sees them.
 */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  router: Router,
  events: EventBus,
  target: () => Pick<WebContents, 'isDestroyed' | 'send'> | undefined,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): () => void {
  ipcMain.handle(IPC_INVOKE, (event, channel: unknown, input: unknown) => {
    if (!isTrustedSender(event)) {
      return {
        ok: false,
        error: { code: 'invalid-input', message: 'Refused: the call did not come from the app window.' },
      };
    }
    return router(channel, input);
  });
  const unsubscribe = events.subscribe((name, payload) => {
    const wc = target();
    if (wc && !wc.isDestroyed()) wc.send(IPC_EVENT, name, payload);
  });
  return () => {
    ipcMain.removeHandler(IPC_INVOKE);
    unsubscribe();
  };
}
