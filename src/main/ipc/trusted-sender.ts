import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { isAppPageUrl, type AppOrigin } from '../security/url-policy';

/** The fields of an IPC event the check reads (a test passes a double). */
export type SenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

/**
 * Builds the sender check for IPC: the call must come from the app window's own WebContents, from its top
 * frame, showing the app's own page (not a page it was somehow navigated to, not an iframe).
 */
export function trustedSender(
  appWindow: () => WebContents | undefined,
  origin: AppOrigin,
): (event: SenderEvent) => boolean {
  return (event) => {
    const wc = appWindow();
    if (!wc || wc.isDestroyed() || event.sender !== wc) return false;
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    return isAppPageUrl(frame.url, origin);
  };
}
