/** The jobs the worker runs, kept apart from the message plumbing so they can also run in-process. */
import { isMainThread } from 'node:worker_threads';
import { SamplingCancelled } from '../../core/sampling/api';
import { telemetrySince, type JobContext } from './job-context';
import { runEnhanceJob } from './enhance-job';
import { runFaceJob } from './face-job';
import { ITEM_VALUES } from './score-model';
import { ProgressMeter } from './progress';
import type { ScoreLoopJob, ScoreLoopResult, WorkerJob, WorkerResult } from './protocol';

/** Runs one job to its result; throws SamplingCancelled when cancelled. */
export async function runJob(job: WorkerJob, ctx: JobContext): Promise<WorkerResult> {
  switch (job.kind) {
    case 'score-loop':
      return runScoreLoop(job, ctx);
    case 'enhance':
      return runEnhanceJob(job, ctx);
    case 'face':
      return runFaceJob(job, ctx);
  }
}

async function runScoreLoop(job: ScoreLoopJob, ctx: JobContext): Promise<ScoreLoopResult> {
  const model = await ctx.models.get(job.model);
  const before = { ...model.stats };
  const start = performance.now();
  const b = job.batch;
  const x = { data: new Float32Array(b * ITEM_VALUES).fill(0.5), shape: [b, 3, 128, 128] };
  const y = { data: new Float32Array(b * ITEM_VALUES).fill(0.25), shape: [b, 3, 128, 128] };
  const score = model.scoreFn(ctx.signal);
  const meter = new ProgressMeter(ctx.onProgress);
  let checksum = 0;
  for (let step = 1; step <= job.steps; step++) {
    if (ctx.signal.aborted) throw new SamplingCancelled();
    const t = new Float32Array(b).fill(1 - (step - 1) / job.steps);
    const s = await score(x, y, t);
    checksum = s[0]! + s[s.length - 1]!;
    meter.tick(step, job.steps, step);
    if (step === job.exitAfterStep) {
      if (isMainThread) throw new Error('exitAfterStep is only for a job in the worker thread.');
      process.exit(3);
    }
  }
  const maxBatch = Math.min(b, model.maxBatch());
  return {
    kind: 'score-loop',
    telemetry: telemetrySince(model, before, performance.now() - start, maxBatch),
    checksum,
  };
}
