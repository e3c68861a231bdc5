import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { createRouter, type Handlers } from '../../../src/main/api/router';
import { composeApp } from '../../../src/main/compose';
import { tempDir } from '../../helpers/temp-dir';
import { EventBus } from '../../../src/main/events';
import { registerIpc } from '../../../src/main/ipc/register';
import { trustedSender, type SenderEvent } from '../../../src/main/ipc/trusted-sender';
import { calls, IPC_EVENT, IPC_INVOKE, type Channel } from '../../../src/shared/contract';
import type { Result } from '../../../src/shared/errors';
import { sampleInput } from './sample-input';

/**
 * Valid inputs for calls whose schema refinements (patterns, custom checks) the generic sampler cannot
 * satisfy. Add one here when a new call's schema needs it.
 */
const SAMPLE_INPUTS: Partial<Record<Channel, unknown>> = {
  'cases.create': { name: 'Case 1' },
  'faces.align': { caseId: 'c', evidenceId: 'e', method: 'auto', detection: 0 },
  'objects.dataUrl': { caseId: 'c', sha256: 'a'.repeat(64) },
  'audit.checkAnchor': { caseId: 'c', seq: 3, hash: 'a'.repeat(64) },
  // The sampler gives one r; a sweep needs at least two.
  'runs.sweep': { ...(sampleInput(calls['runs.enqueue'].input) as object), snrs: [0.1, 0.2] },
};

const channels = Object.keys(calls) as Channel[];

function validInput(channel: Channel): unknown {
  const candidates =
    channel in SAMPLE_INPUTS ? [SAMPLE_INPUTS[channel]] : [sampleInput(calls[channel].input), {}];
  for (const c of candidates) if (calls[channel].input.safeParse(c).success) return c;
  throw new Error(
    `No valid sample input for ${channel}: add one to SAMPLE_INPUTS in ${import.meta.filename}.`,
  );
}

/** Spy handlers for every channel of the contract; each records the (validated) input it got. */
function spyHandlers() {
  const spies = new Map<Channel, ReturnType<typeof vi.fn>>();
  const handlers = {} as Record<Channel, unknown>;
  for (const c of channels) {
    const spy = vi.fn(() => ({ routedTo: c }));
    spies.set(c, spy);
    handlers[c] = spy;
  }
  return { handlers: handlers as unknown as Handlers, spies };
}

type Invoke = (
  event: unknown,
  channel: unknown,
  input: unknown,
) => Promise<Result<unknown>> | Result<unknown>;

/** Registers IPC on an ipcMain double and returns its invoke handler. */
function setup(trusted: boolean) {
  const ipcMain = { handle: vi.fn(), removeHandler: vi.fn() };
  const { handlers, spies } = spyHandlers();
  const router = vi.fn(createRouter(handlers));
  const events = new EventBus();
  const wc = { isDestroyed: vi.fn(() => false), send: vi.fn() };
  const dispose = registerIpc(
    ipcMain,
    router,
    events,
    () => wc,
    () => trusted,
  );
  expect(ipcMain.handle).toHaveBeenCalledOnce();
  expect(ipcMain.handle.mock.calls[0]![0]).toBe(IPC_INVOKE);
  const invoke = ipcMain.handle.mock.calls[0]![1] as Invoke;
  return { ipcMain, invoke, router, spies, events, wc, dispose };
}

describe('IPC registration', () => {
  it('has a contract with calls', () => expect(channels.length).toBeGreaterThan(0));

  it.each(channels)('routes %s to its own handler, validated, and to no other', async (channel) => {
    const { invoke, spies } = setup(true);
    const input = validInput(channel);
    const res = await invoke({}, channel, input);
    expect(res).toEqual({ ok: true, value: { routedTo: channel } });
    for (const [c, spy] of spies) expect(spy, c).toHaveBeenCalledTimes(c === channel ? 1 : 0);
    expect(spies.get(channel)!.mock.calls[0]).toEqual([calls[channel].input.parse(input)]);
  });

  it.each(channels)('rejects a malformed %s payload before any service runs', async (channel) => {
    const { invoke, spies } = setup(true);
    for (const bad of ['not an object', 42, [1, 2], true]) {
      const res = await invoke({}, channel, bad);
      expect(res.ok, JSON.stringify(bad)).toBe(false);
      if (!res.ok) expect(res.error.code).toBe('invalid-input');
    }
    for (const spy of spies.values()) expect(spy).not.toHaveBeenCalled();
  });

  it('rejects unknown channels', async () => {
    const { invoke, spies } = setup(true);
    for (const channel of ['cases.drop', '__proto__', 'constructor', 42, null]) {
      expect(await invoke({}, channel, {})).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    }
    for (const spy of spies.values()) expect(spy).not.toHaveBeenCalled();
  });

  it('refuses calls from an untrusted sender before the router sees them', async () => {
    const { invoke, router, spies } = setup(false);
    for (const channel of channels) {
      const res = await invoke({}, channel, validInput(channel));
      expect(res).toMatchObject({ ok: false, error: { code: 'invalid-input', message: /app window/ } });
    }
    expect(router).not.toHaveBeenCalled();
    for (const spy of spies.values()) expect(spy).not.toHaveBeenCalled();
  });

  it('forwards events to the window, not to a destroyed one, and stops on dispose', () => {
    const { events, wc, dispose, ipcMain } = setup(true);
    const progress = { jobId: 'j', step: 1, total: 10, nfe: 1, elapsedMs: 5, etaMs: 45 };
    events.emit('job.progress', progress);
    expect(wc.send).toHaveBeenCalledWith(IPC_EVENT, 'job.progress', progress);
    wc.isDestroyed.mockReturnValue(true);
    events.emit('job.progress', progress);
    expect(wc.send).toHaveBeenCalledTimes(1);
    wc.isDestroyed.mockReturnValue(false);
    dispose();
    events.emit('job.progress', progress);
    expect(wc.send).toHaveBeenCalledTimes(1);
    expect(ipcMain.removeHandler).toHaveBeenCalledWith(IPC_INVOKE);
  });
});

describe('IPC over the composed app (real services, real SQLite)', () => {
  it('routes a call to the real service and knows every contract channel', async () => {
    const dir = tempDir('facet-ipc-');
    const app = composeApp({ dataDir: dir.path });
    try {
      const ipcMain = { handle: vi.fn(), removeHandler: vi.fn() };
      registerIpc(
        ipcMain,
        app.router,
        app.events,
        () => undefined,
        () => true,
      );
      const invoke = ipcMain.handle.mock.calls[0]![1] as Invoke;
      expect(await invoke({}, 'cases.create', { name: '  Via IPC ' })).toMatchObject({
        ok: true,
        value: { name: 'Via IPC' },
      });
      expect(await invoke({}, 'cases.list', {})).toMatchObject({ ok: true, value: [{ name: 'Via IPC' }] });
      // A malformed payload on any channel is refused by validation (not as an unknown channel) and
      // changes nothing.
      for (const channel of channels) {
        expect(await invoke({}, channel, 'malformed'), channel).toMatchObject({
          ok: false,
          error: { code: 'invalid-input' },
        });
      }
      const after = await invoke({}, 'cases.list', {});
      expect(after.ok && (after.value as unknown[]).length).toBe(1);
    } finally {
      app.close();
      dir.remove();
    }
  });
});

describe('trusted sender', () => {
  const rendererDir = join('/opt', 'facet', 'out', 'renderer');
  const appUrl = pathToFileURL(join(rendererDir, 'index.html')).href;
  const win = { isDestroyed: () => false } as unknown as WebContents;
  const check = trustedSender(() => win, { rendererDir });
  const event = (sender: unknown, frame: unknown): SenderEvent =>
    ({ sender, senderFrame: frame }) as unknown as IpcMainInvokeEvent;

  it('accepts the app window’s top frame showing the app', () => {
    expect(check(event(win, { parent: null, url: appUrl }))).toBe(true);
  });

  it('refuses another WebContents, an iframe, a foreign page or a vanished frame', () => {
    const other = { isDestroyed: () => false };
    expect(check(event(other, { parent: null, url: appUrl }))).toBe(false);
    expect(check(event(win, { parent: {}, url: appUrl }))).toBe(false);
    expect(check(event(win, { parent: null, url: 'https://evil.example/' }))).toBe(false);
    expect(check(event(win, { parent: null, url: pathToFileURL('/tmp/index.html').href }))).toBe(false);
    expect(check(event(win, null))).toBe(false);
  });

  it('refuses everything once the window is gone', () => {
    const gone = trustedSender(() => undefined, { rendererDir });
    expect(gone(event(win, { parent: null, url: appUrl }))).toBe(false);
  });
});
