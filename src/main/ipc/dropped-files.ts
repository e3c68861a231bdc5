import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { isAbsolute } from 'node:path';
import { IPC_DROPPED } from '../../shared/contract';
import type { Result } from '../../shared/errors';

/** The most paths one drop may add (the preload enforces the same limit). */
export const MAX_DROPPED = 100;
const MAX_PATH_CHARS = 4096;

function refuse(message: string): Result<never> {
  return { ok: false, error: { code: 'invalid-input', message } };
}

/**
 * Checks the paths of one drop and allows each for reading. They come from the preload's webUtils, but are
 * still checked here (absolute, no NUL, bounded); whether each is a regular image file is the evidence
 * service's check when the renderer imports it.
 */
export function acceptDroppedPaths(input: unknown, allowFile: (path: string) => void): Result<string[]> {
  if (!Array.isArray(input) || input.length === 0) return refuse('A drop must name at least one file.');
  if (input.length > MAX_DROPPED) return refuse(`Drop at most ${MAX_DROPPED} files at once.`);
  const paths: string[] = [];
  for (const p of input as unknown[]) {
    if (typeof p !== 'string' || p.length === 0 || p.length > MAX_PATH_CHARS || p.includes('\0'))
      return refuse('A dropped file has no usable path.');
    if (!isAbsolute(p)) return refuse(`A dropped file's path must be absolute: ${p}`);
    paths.push(p);
  }
  // Only once every path passed, so that a bad drop allows nothing.
  for (const p of paths) allowFile(p);
  return { ok: true, value: paths };
}

/**
 * Registers the dropped-files channel: only the app window's own page may use it (the same sender check as
 * the contract's channel), and what it allows is exactly the files the preload vouched for.
 */
export function registerDroppedFiles(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  allowFile: (path: string) => void,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): () => void {
  ipcMain.handle(IPC_DROPPED, (event, input: unknown) => {
    if (!isTrustedSender(event)) return refuse('Refused: the drop did not come from the app window.');
    return acceptDroppedPaths(input, allowFile);
  });
  return () => ipcMain.removeHandler(IPC_DROPPED);
}
