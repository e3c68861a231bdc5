import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { startWorkerThread, utilityProcessStarter } from '../../../src/main/shell/worker-host';

const ECHO = join(import.meta.dirname, 'fixtures', 'echo-worker.mjs');

/** Resolves with the next message the handle receives. */
function nextMessage(handle: ReturnType<typeof startWorkerThread>): Promise<unknown> {
  return new Promise((resolve) => {
    const off = handle.onMessage((m) => {
      off();
      resolve(m);
    });
  });
}

describe('worker host', () => {
  it('runs a script on a worker thread, off the main thread, and exchanges messages', async () => {
    expect(isMainThread).toBe(true);
    const worker = startWorkerThread(ECHO, { name: 'echo', workerData: { model: 'm.onnx' } });
    expect(await nextMessage(worker)).toEqual({ type: 'ready', workerData: { model: 'm.onnx' } });
    const data = new Float32Array([1, 2, 3]);
    worker.postMessage({ data });
    expect(await nextMessage(worker)).toEqual({ type: 'echo', message: { data } });
    await worker.terminate();
  });

  it('reports the worker’s exit code', async () => {
    const worker = startWorkerThread(ECHO);
    await nextMessage(worker);
    const code = new Promise<number>((resolve) => worker.onExit(resolve));
    worker.postMessage('exit');
    expect(await code).toBe(3);
  });

  it('adapts an Electron utility process to the same handle', async () => {
    const child = Object.assign(new EventEmitter(), {
      postMessage: vi.fn(),
      kill: vi.fn(function (this: EventEmitter) {
        setImmediate(() => this.emit('exit', 0));
        return true;
      }),
    });
    const fork = vi.fn(() => child);
    const start = utilityProcessStarter({ fork } as never);
    const handle = start('/app/out/main/inference-worker.js', {
      name: 'inference',
      workerData: { threads: 2 },
    });
    expect(fork).toHaveBeenCalledWith('/app/out/main/inference-worker.js', [], { serviceName: 'inference' });
    expect(child.postMessage).toHaveBeenCalledWith({ type: 'worker-data', data: { threads: 2 } });
    const got = vi.fn();
    handle.onMessage(got);
    child.emit('message', { type: 'progress' });
    expect(got).toHaveBeenCalledWith({ type: 'progress' });
    handle.postMessage({ type: 'run' });
    expect(child.postMessage).toHaveBeenLastCalledWith({ type: 'run' });
    await handle.terminate();
    expect(child.kill).toHaveBeenCalledOnce();
  });
});
