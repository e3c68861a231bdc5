/** The jobs the worker runs, kept apart from the message plumbing so they can also run in-process. */
import type { CancelSignal } from '../../core/sampling/api';
import { SamplingCancelled } from '../../core/sampling/api';
import { OrtScoreModel, ITEM_VALUES } from './score-model';
import { ProgressMeter } from './progress';
import type {
  EngineProgress,
  ModelSpec,
  RunTelemetry,
  ScoreLoopJob,
  ScoreLoopResult,
  WorkerJob,
  WorkerResult,
} from './protocol';

/** Open models by file, hash, provider, threads and memory cap: each is loaded once. */
export class ModelCache {
  private readonly models = new Map<string, Promise<OrtScoreModel>>();

  /** The model for this spec, opening it (SHA-256 check included) on first use. */
  get(spec: ModelSpec): Promise<OrtScoreModel> {
    const key = [
      spec.entry.onnxPath,
      spec.entry.manifest.sha256,
      spec.provider,
      spec.threads,
      spec.memoryCapBytes,
    ].join('|');
    let m = this.models.get(key);
    if (!m) {
      m = OrtScoreModel.open(spec.entry, spec);
      this.models.set(key, m);
      // A failed load is not cached: the next job tries again (e.g. after the file is fixed).
      m.catch(() => this.models.delete(key));
    }
    return m;
  }

  /** Releases every session. */
  async clear(): Promise<void> {
    const all = [...this.models.values()];
    this.models.clear();
    for (const m of all) await m.then((x) => x.release()).catch(() => undefined);
  }
}

/** What a job needs from its host. */
export interface JobContext {
  readonly models: ModelCache;
  readonly signal: CancelSignal;
  readonly onProgress: (p: EngineProgress) => void;
}

/** Runs one job to its result; throws SamplingCancelled when cancelled. */
export async function runJob(job: WorkerJob, ctx: JobContext): Promise<WorkerResult> {
  switch (job.kind) {
    case 'score-loop':
      return runScoreLoop(job, ctx);
  }
}

/** Telemetry of a model since `before` was taken. */
export function telemetrySince(
  model: OrtScoreModel,
  before: { nfe: number; ortCalls: number; ortMs: number },
  wallMs: number,
  maxBatch: number,
): RunTelemetry {
  return {
    provider: model.provider,
    providerFallback: model.fallback,
    threads: model.threads,
    nfe: model.stats.nfe - before.nfe,
    ortCalls: model.stats.ortCalls - before.ortCalls,
    ortMs: model.stats.ortMs - before.ortMs,
    wallMs,
    peakRssBytes: Math.max(model.stats.peakRssBytes, process.memoryUsage.rss()),
    maxBatch,
  };
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
  }
  const maxBatch = Math.min(b, model.maxBatch());
  return {
    kind: 'score-loop',
    telemetry: telemetrySince(model, before, performance.now() - start, maxBatch),
    checksum,
  };
}
