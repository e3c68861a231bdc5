/**
 * The inference engine behind the runs service and `facet verify`: the RunExecutor of
 * src/main/services/run-executor.ts. Cancellation rejects with FacetError code 'cancelled'.
 */
import { FacetError } from '../../shared/errors';
import type { RunExecutor } from './run-executor';
import { enhancePlanned, planFor } from './enhance';
import { InferenceEngine } from './engine';
import type { ScoreLoopResult } from './protocol';
import { ModelRegistry } from './registry';
import { physicalCores } from './threads';

/** Forwards timed by a benchmark, after one untimed warm-up forward. */
const BENCH_FORWARDS = 3;

/** The executor and a way to stop its worker. */
export interface InferenceExecutor extends RunExecutor {
  close(): Promise<void>;
}

/** Options: share an engine or registry, cap ORT memory per call, point at the bundled worker file. */
export interface InferenceExecutorOptions {
  readonly engine?: InferenceEngine;
  readonly registry?: ModelRegistry;
  readonly memoryCapBytes?: number;
  readonly workerPath?: string;
}

/** Creates the executor; models are looked up by `settings.modelId` (an id, `best`, or an SDE kind for its best). */
export function createInferenceExecutor(options: InferenceExecutorOptions = {}): InferenceExecutor {
  const engine = options.engine ?? new InferenceEngine({ workerPath: options.workerPath });
  let registry = options.registry;
  return {
    plan(settings) {
      registry ??= ModelRegistry.fromDisk();
      return planFor(settings, registry.resolve(settings.modelId));
    },
    async execute(job, ctx) {
      registry ??= ModelRegistry.fromDisk();
      // The plan names the model by id and hash: the same file must still be there.
      const model = registry.resolve(job.plan.model.id);
      if (model.manifest.sha256 !== job.plan.model.sha256) {
        throw new FacetError(
          'invalid-input',
          `Model ${job.plan.model.id} is not the one planned: its SHA-256 is ${model.manifest.sha256}, the plan ` +
            `says ${job.plan.model.sha256}.`,
        );
      }
      const out = await enhancePlanned(
        engine,
        {
          plan: job.plan,
          settings: job.settings,
          model,
          lr: job.lr,
          crop: job.crop,
          memoryCapBytes: options.memoryCapBytes,
        },
        { signal: ctx.signal, onProgress: (p) => ctx.onProgress(p) },
      );
      if (out.status === 'cancelled') throw new FacetError('cancelled', `Run ${job.runId} was cancelled.`);
      const { record, candidates, bicubic, uncertainty, consistency, meanStd, telemetry } = out.result;
      return { record, candidates, bicubic, uncertainty, consistency, meanStd, telemetry };
    },
    async benchmark(req) {
      registry ??= ModelRegistry.fromDisk();
      const entry = registry.resolve(req.modelId);
      const model = {
        entry,
        provider: req.provider,
        threads: physicalCores(),
        memoryCapBytes: options.memoryCapBytes,
      };
      // The first forward pays for graph setup; it is run and thrown away.
      for (const steps of [1, BENCH_FORWARDS]) {
        const out = await engine.run<ScoreLoopResult>({ kind: 'score-loop', model, batch: req.batch, steps });
        if (out.status !== 'done') throw new FacetError('cancelled', 'The benchmark was cancelled.');
        if (steps === BENCH_FORWARDS) {
          const t = out.result.telemetry;
          return {
            msPerNfe: t.wallMs / steps,
            forwards: steps,
            provider: t.provider,
            providerFallback: t.providerFallback,
          };
        }
      }
      throw new Error('unreachable');
    },
    close: () => engine.close(),
  };
}
