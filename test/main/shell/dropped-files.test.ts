import type { IpcMainInvokeEvent } from 'electron';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { MAX_DROPPED, registerDroppedFiles } from '../../../src/main/ipc/dropped-files';
import { PathPolicy } from '../../../src/main/services/import-policy';
import { IPC_DROPPED } from '../../../src/shared/contract';
import type { Result } from '../../../src/shared/errors';
import { tempDir } from '../../helpers/temp-dir';

type Handler = (event: IpcMainInvokeEvent, input: unknown) => Result<unknown>;

/** Registers the channel on an ipcMain double over a real PathPolicy. */
function setup(trusted: boolean) {
  const ipcMain = { handle: vi.fn(), removeHandler: vi.fn() };
  const policy = new PathPolicy();
  const dispose = registerDroppedFiles(
    ipcMain,
    (p) => policy.allowFile(p),
    () => trusted,
  );
  expect(ipcMain.handle.mock.calls.map((c) => c[0])).toEqual([IPC_DROPPED]);
  const handler = ipcMain.handle.mock.calls[0]![1] as Handler;
  return { ipcMain, policy, dispose, drop: (input: unknown) => handler({} as IpcMainInvokeEvent, input) };
}

describe('dropped-files channel', () => {
  const dir = tempDir('facet-drop-ipc-');
  const file = join(dir.path, 'still.jpg');
  writeFileSync(file, 'bytes');
  afterAll(() => dir.remove());

  it('makes the dropped files readable for main, and only them', () => {
    const { policy, drop } = setup(true);
    expect(() => policy.checkRead(file)).toThrow(/outside the files and folders/);
    expect(drop([file])).toEqual({ ok: true, value: [file] });
    expect(policy.checkRead(file)).toContain('still.jpg');
    const sibling = join(dir.path, 'other.jpg');
    writeFileSync(sibling, 'bytes');
    expect(() => policy.checkRead(sibling)).toThrow(/outside the files and folders/);
  });

  it('refuses a drop from any sender but the app window, allowing nothing', () => {
    const { policy, drop } = setup(false);
    expect(drop([file])).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(() => policy.checkRead(file)).toThrow(/outside the files and folders/);
  });

  it('refuses malformed drops as a whole: nothing of them is allowed', () => {
    const { policy, drop } = setup(true);
    const bad: unknown[] = [
      undefined,
      file,
      [],
      [file, 'relative/still.jpg'],
      [file, 42],
      [file, `${file}\0.png`],
      [file, '/'.repeat(5000)],
      Array.from({ length: MAX_DROPPED + 1 }, () => file),
    ];
    for (const input of bad) {
      expect(drop(input), String(input).slice(0, 80)).toMatchObject({
        ok: false,
        error: { code: 'invalid-input' },
      });
    }
    expect(() => policy.checkRead(file)).toThrow(/outside the files and folders/);
  });

  it('removes its handler on dispose', () => {
    const { ipcMain, dispose } = setup(true);
    dispose();
    expect(ipcMain.removeHandler).toHaveBeenCalledWith(IPC_DROPPED);
  });
});
