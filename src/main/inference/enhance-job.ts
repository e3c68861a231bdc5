/**
 * The enhancement job inside the worker: condition on the LR face (C2), sample K candidates with the core's sampler
 * and the ONNX score model (one ORT call per step for all K), then bicubic, per-candidate consistency and the
 * uncertainty map.
 */
import { conditioning, consistency } from '../../core/image/lr';
import { createLrProjection } from '../../core/image/projection';
import { fromChw, toChw } from '../../core/image/tensor';
import { createNoiseStream, parseSeed, sample } from '../../core/sampling';
import { dataRange } from '../../core/sde';
import { FacetError } from '../../shared/errors';
import { telemetrySince, type JobContext } from './job-context';
import type { EnhanceJob, EnhanceJobResult } from './protocol';
import { ProgressMeter } from './progress';
import { uncertaintyMap } from './uncertainty';

/** Runs the job; throws SamplingCancelled when cancelled. */
export async function runEnhanceJob(job: EnhanceJob, ctx: JobContext): Promise<EnhanceJobResult> {
  if (job.lr.width !== 16 || job.lr.height !== 16) {
    throw new FacetError('invalid-input', `The LR face must be 16x16, not ${job.lr.width}x${job.lr.height}.`);
  }
  const { sde, sampler } = job.plan;
  const seed = parseSeed(job.plan.seed);
  const model = await ctx.models.get(job.model);
  const before = { ...model.stats };
  const start = performance.now();

  const y = conditioning(job.lr);
  const k = job.plan.candidates;
  const meter = new ProgressMeter(ctx.onProgress);
  const sampleStart = performance.now();
  const out = await sample({
    sde,
    sampler,
    sampleShape: [3, 128, 128],
    y: toChw(
      Array.from({ length: k }, () => y),
      [0, 1],
    ),
    score: model.scoreFn(ctx.signal),
    noise: Array.from({ length: k }, (_, i) => createNoiseStream(seed, i)),
    project: job.plan.dataConsistency
      ? createLrProjection(Array.from({ length: k }, () => job.lr))
      : undefined,
    onProgress: (p) => meter.tick(p.step, p.total, p.nfe),
    signal: ctx.signal,
  });
  const samplingMs = performance.now() - sampleStart;
  const range = dataRange(sde.kind);
  const candidates = Array.from({ length: k }, (_, i) => fromChw(out, i, range));
  const bicubic = { ...y, data: y.data.map((v) => Math.min(1, Math.max(0, v))) };
  const { map, meanStd } = uncertaintyMap(candidates);
  const wallMs = performance.now() - start;
  const telemetry = telemetrySince(model, before, wallMs, Math.min(k, model.maxBatch()), samplingMs);
  return {
    kind: 'enhance',
    candidates,
    bicubic,
    uncertainty: map,
    meanStd,
    consistency: candidates.map((c) => consistency(c, job.lr)),
    telemetry,
  };
}
