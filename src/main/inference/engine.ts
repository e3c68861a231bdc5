/**
 * The inference engine as main sees it: a worker thread that owns the ORT sessions (score models and face models),
 * jobs run one at a time per lane (sampling, face: see protocol.ts), progress events, cancellation through shared
 * memory (seen by the worker within one step), and a fresh worker after a crash.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FacetError } from '../../shared/errors';
import {
  laneOf,
  type EngineProgress,
  type FromWorker,
  type JobLane,
  type ToWorker,
  type WorkerJob,
  type WorkerResult,
} from './protocol';

/** How a job ended: its result, or cancelled (which is not an error). */
export type JobOutcome<R = WorkerResult> =
  { readonly status: 'done'; readonly result: R } | { readonly status: 'cancelled' };

/** Per-job callbacks. */
export interface JobOptions {
  readonly onProgress?: (p: EngineProgress) => void;
  readonly signal?: AbortSignal;
}

interface Pending {
  readonly jobId: number;
  readonly resolve: (o: JobOutcome) => void;
  readonly reject: (e: unknown) => void;
  readonly onProgress?: (p: EngineProgress) => void;
}

/** Where the worker's code is: the TypeScript source under tsx/vitest, or the bundled file next to the build. */
function workerSource(explicit?: string): { code: string; eval: boolean } {
  if (explicit) return { code: explicit, eval: false };
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const tsx = pathToFileURL(tsxEsmApi()).href;
    const worker = pathToFileURL(join(dirname(here), 'worker.ts')).href;
    const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(worker)}); });`;
    return { code, eval: true };
  }
  // Bundled: the worker entry sits next to the bundle (or one folder up, when this code landed in a chunk).
  const near = [join(dirname(here), 'inference-worker.js'), join(dirname(here), '..', 'inference-worker.js')];
  return { code: near.find((p) => existsSync(p)) ?? near[0]!, eval: false };
}

/** tsx's ESM loader API (dev and tests only: the bundled worker needs no loader). */
function tsxEsmApi(): string {
  const pkgPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  return join(dirname(pkgPath), pkg.exports['./esm/api']!.import.default);
}

/** The engine: create one per app (or per CLI run) and close it when done. */
export class InferenceEngine {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly queues: Record<JobLane, Promise<unknown>> = {
    sampling: Promise.resolve(),
    face: Promise.resolve(),
  };

  /** `workerPath` overrides where the bundled worker file is (e.g. Electron's out/main). */
  constructor(private readonly options: { workerPath?: string } = {}) {}

  /** Runs a job after the ones before it in its lane; resolves `cancelled` when the signal aborts it. */
  run<R extends WorkerResult = WorkerResult>(
    job: WorkerJob,
    options: JobOptions = {},
  ): Promise<JobOutcome<R>> {
    const lane = laneOf(job);
    const p = this.queues[lane].then(() => this.start(job, options));
    this.queues[lane] = p.catch(() => undefined);
    return p as Promise<JobOutcome<R>>;
  }

  /** Stops the worker; sessions are freed with it. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }

  private start(job: WorkerJob, options: JobOptions): Promise<JobOutcome> {
    if (options.signal?.aborted) return Promise.resolve({ status: 'cancelled' });
    const worker = this.ensureWorker();
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    const jobId = this.nextId++;
    return new Promise<JobOutcome>((resolve, reject) => {
      const onAbort = (): void => {
        Atomics.store(cancel, 0, 1);
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const done = (f: () => void): void => {
        options.signal?.removeEventListener('abort', onAbort);
        this.pending.delete(jobId);
        // An idle worker does not keep the process alive.
        if (this.pending.size === 0) worker.unref();
        f();
      };
      this.pending.set(jobId, {
        jobId,
        onProgress: options.onProgress,
        resolve: (o) => done(() => resolve(o)),
        reject: (e) => done(() => reject(e)),
      });
      const msg: ToWorker = { type: 'run', jobId, job, cancel };
      worker.ref();
      worker.postMessage(msg);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const src = workerSource(this.options.workerPath);
    const worker = new Worker(src.code, { eval: src.eval });
    worker.on('message', (msg: FromWorker) => this.onMessage(msg));
    // A crash fails the running job with a clear error; the next job starts a fresh worker.
    const crashed = (why: string): void => {
      if (this.worker === worker) this.worker = null;
      for (const p of [...this.pending.values()])
        p.reject(new FacetError('internal', `The inference worker stopped: ${why}`));
    };
    worker.on('error', (err) => crashed(err.message));
    worker.on('exit', (code) => crashed(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  private onMessage(msg: FromWorker): void {
    const p = this.pending.get(msg.jobId);
    if (!p) return;
    switch (msg.type) {
      case 'progress':
        p.onProgress?.(msg.progress);
        return;
      case 'done':
        p.resolve({ status: 'done', result: msg.result });
        return;
      case 'cancelled':
        p.resolve({ status: 'cancelled' });
        return;
      case 'error':
        p.reject(new FacetError(msg.error.code, msg.error.message));
        return;
    }
  }
}
