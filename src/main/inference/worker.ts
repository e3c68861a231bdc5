/**
 * The inference worker thread: owns the ORT sessions (score models and face models) and runs jobs for the host, one
 * at a time per lane (sampling, face).
 */
import { parentPort } from 'node:worker_threads';
import { SamplingCancelled, type CancelSignal } from '../../core/sampling/api';
import { FacetError } from '../../shared/errors';
import { FaceModelCache, ModelCache } from './job-context';
import { runJob } from './jobs';
import { laneOf, type FromWorker, type JobLane, type ToWorker } from './protocol';

const port = parentPort;
if (!port) throw new Error('worker.ts runs only as a worker thread.');
const models = new ModelCache();
const faces = new FaceModelCache();
const queues: Record<JobLane, Promise<void>> = { sampling: Promise.resolve(), face: Promise.resolve() };

function send(msg: FromWorker): void {
  const transfer = msg.type === 'done' ? transferables(msg.result) : [];
  port!.postMessage(msg, transfer);
}

/** Large pixel buffers move to the host instead of being copied. */
function transferables(result: unknown): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const visit = (v: unknown): void => {
    if (
      v instanceof Float32Array &&
      v.buffer instanceof ArrayBuffer &&
      v.byteOffset === 0 &&
      v.byteLength === v.buffer.byteLength
    ) {
      out.add(v.buffer);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(result);
  return [...out];
}

async function handle(msg: ToWorker): Promise<void> {
  const signal: CancelSignal = {
    get aborted() {
      return Atomics.load(msg.cancel, 0) === 1;
    },
  };
  try {
    const result = await runJob(msg.job, {
      models,
      faces,
      signal,
      onProgress: (progress) => send({ type: 'progress', jobId: msg.jobId, progress }),
    });
    send({ type: 'done', jobId: msg.jobId, result });
  } catch (err) {
    if (err instanceof SamplingCancelled) send({ type: 'cancelled', jobId: msg.jobId });
    else if (err instanceof FacetError)
      send({ type: 'error', jobId: msg.jobId, error: { code: err.code, message: err.message } });
    else {
      const message = err instanceof Error ? err.message : String(err);
      send({
        type: 'error',
        jobId: msg.jobId,
        error: { code: 'internal', message: `Inference failed: ${message}` },
      });
    }
  }
}

port.on('message', (msg: ToWorker) => {
  const lane = laneOf(msg.job);
  queues[lane] = queues[lane].then(() => handle(msg));
});
