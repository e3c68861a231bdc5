import type { UtilityProcess } from 'electron';
import { Worker, type TransferListItem } from 'node:worker_threads';

/** A running worker, whichever kind hosts it; messages are structured-cloned. */
export interface WorkerHandle {
  /** Sends a message to the worker. */
  postMessage(message: unknown, transfer?: readonly TransferListItem[]): void;
  /** Listens for messages from the worker; returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** Called once when the worker ends, with its exit code. */
  onExit(listener: (code: number) => void): () => void;
  /** Stops the worker; resolves when it has exited. */
  terminate(): Promise<void>;
}

/** Options common to both kinds of worker. */
export interface StartWorkerOptions {
  /** A name shown in debuggers and task managers. */
  readonly name?: string;
  /** Data the worker receives at start (worker thread: `workerData`; utility process: first message). */
  readonly workerData?: unknown;
}

/**
 * Starts a worker from a built script. This is the hook for the inference engine: it takes a `StartWorker`
 * and keeps onnxruntime sessions off the main thread, so sampling never blocks the window or IPC.
 */
export type StartWorker = (scriptPath: string, options?: StartWorkerOptions) => WorkerHandle;

/** Starts a Node worker thread (works in Electron's main process and in plain Node: CLI, tests). */
export const startWorkerThread: StartWorker = (scriptPath, options = {}) => {
  const worker = new Worker(scriptPath, { name: options.name, workerData: options.workerData });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer),
    onMessage: (listener) => {
      worker.on('message', listener);
      return () => worker.off('message', listener);
    },
    onExit: (listener) => {
      worker.once('exit', listener);
      return () => worker.off('exit', listener);
    },
    terminate: async () => {
      await worker.terminate();
      await exited;
    },
  };
};

/**
 * Starts an Electron utility process instead (a separate OS process: a crash in native code cannot take
 * the window down). Takes Electron's `utilityProcess` module so that tests can pass a double.
 */
export function utilityProcessStarter(utilityProcess: {
  fork(modulePath: string, args?: string[], options?: { serviceName?: string }): UtilityProcess;
}): StartWorker {
  return (scriptPath, options = {}) => {
    const child = utilityProcess.fork(scriptPath, [], { serviceName: options.name ?? 'facet-worker' });
    let alive = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => ((alive = false), resolve())));
    // A utility process has no workerData; it arrives as the first message instead.
    if (options.workerData !== undefined)
      child.postMessage({ type: 'worker-data', data: options.workerData });
    return {
      postMessage: (message) => child.postMessage(message),
      onMessage: (listener) => {
        child.on('message', listener);
        return () => child.off('message', listener);
      },
      onExit: (listener) => {
        child.once('exit', listener);
        return () => child.off('exit', listener);
      },
      terminate: async () => {
        if (alive) child.kill();
        await exited;
      },
    };
  };
}
