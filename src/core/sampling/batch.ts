/** Batch helpers shared by the samplers: shapes, noise draws per candidate, cancellation, overlapped work. */
import type { NoiseStream, SampleRequest } from './api';
import { SamplingCancelled } from './api';

/** A noise stream that may write straight into a buffer (see `PhiloxNoiseStream`). */
interface FillableStream extends NoiseStream {
  nextInto?: (out: Float32Array, offset: number, n: number) => void;
}

/** The sizes of a request: batch B, values per sample n, and the batch shape [B, ...sampleShape]. */
export interface BatchShape {
  readonly batch: number;
  readonly perSample: number;
  readonly shape: readonly number[];
}

/** Check a request's shapes and return them. */
export function batchShape(req: SampleRequest): BatchShape {
  const batch = req.noise.length;
  if (batch < 1) throw new Error('sample: need at least one noise stream (one per candidate).');
  if (req.sampleShape.length === 0 || req.sampleShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`sample: bad sample shape [${req.sampleShape.join(',')}].`);
  }
  const perSample = req.sampleShape.reduce((a, b) => a * b, 1);
  if (req.y.shape[0] !== batch) {
    throw new Error(`sample: y has batch ${req.y.shape[0]} but there are ${batch} noise streams.`);
  }
  return { batch, perSample, shape: [batch, ...req.sampleShape] };
}

/** One draw of `n` normals per candidate, candidate b's written at `b * n` of `out` (C5 draw order). */
export function drawNoise(streams: readonly NoiseStream[], n: number, out: Float32Array): void {
  for (let b = 0; b < streams.length; b++) {
    const s = streams[b] as FillableStream;
    if (s.nextInto) s.nextInto(out, b * n, n);
    else {
      const z = s.next(n);
      if (z.length !== n) throw new Error(`Noise stream ${b} returned ${z.length} values, expected ${n}.`);
      out.set(z, b * n);
    }
  }
}

/** Throws `SamplingCancelled` when the request's signal is aborted. */
export function checkCancelled(req: SampleRequest): void {
  if (req.signal?.aborted) throw new SamplingCancelled();
}

/**
 * Run synchronous work (the next noise draw) while a score evaluation is in flight, then await it: the network
 * runs on its own threads, so the draw costs no wall time. Noise draws do not depend on x, so C5 order is kept.
 */
export async function overlapped<T>(pending: Promise<T>, work: () => void): Promise<T> {
  try {
    work();
  } catch (e) {
    pending.catch(() => undefined);
    throw e;
  }
  return pending;
}
