/**
 * The one composition root: the services, the model registry, the inference engine and the executor, built the
 * same way for the Electron main process (shell/services.ts), the `facet` CLI and the test harness. Callers say
 * where the data and models are; what runs the models is decided here.
 */
import { join } from 'node:path';
import { composeApp, type App, type ComposeOptions } from './compose';
import { InferenceEngine } from './inference/engine';
import { createInferenceExecutor } from './inference/executor';
import { appVersion, repoRoot } from './inference/paths';
import { manifestProvenance } from './inference/provenance';
import { defaultModelDirs, ModelRegistry, scanModels } from './inference/registry';
import type { RunExecutor, RunJob, RunResult } from './inference/run-executor';

export { appVersion };
export type { RunExecutor, RunResult };
export type { RunProgress } from './inference/run-executor';
export { alignedCropInput, lrFromImage } from './inference/lr-input';
export { UNCERTAINTY_SCALE } from './inference/uncertainty';
export type { InferenceEngine };

/** A folder of score models; `test` marks the analytic test models (offered only outside packaged apps). */
export interface ModelDir {
  readonly dir: string;
  readonly test: boolean;
}

/** What differs between the shell, the CLI and the tests; everything else is composeApp's options. */
export interface RootOptions extends Omit<
  ComposeOptions,
  'executor' | 'inferenceEngine' | 'modelRegistry' | 'modelProvenance' | 'appVersion' | 'faceModelsDir'
> {
  /** Score model folders; default: the repository's models/ and the analytic test models. */
  readonly modelDirs?: readonly ModelDir[];
  /** The face models folder; default: `face/` in the first model folder. */
  readonly faceModelsDir?: string;
  /**
   * The sampling engine. Default: the inference worker over the registry. A test passes its own (it closes it);
   * null leaves runs queued (a process that only looks).
   */
  readonly executor?: RunExecutor | null;
  /** Shares one worker host (tests share one across cases); default: a new one, stopped on close. */
  readonly engine?: InferenceEngine;
  /** Splits the candidates so one ORT call stays under this memory. */
  readonly memoryCapBytes?: number;
  /** Sees each result the executor returns, with its telemetry (`facet enhance` writes it to run.json). */
  readonly onResult?: (runId: string, result: RunResult) => void;
  /** The app version recorded in records and reports; default: package.json's. */
  readonly appVersion?: string;
}

/** The composed app and a close that waits for the inference worker to stop. */
export interface Root extends App {
  readonly registry: ModelRegistry;
  closeAndWait(): Promise<void>;
}

/** The repository's model folders: shipped models, then the analytic test models. */
export function repoModelDirs(): ModelDir[] {
  const d = defaultModelDirs(repoRoot());
  return [
    { dir: d.models, test: false },
    { dir: d.testModels, test: true },
  ];
}

/** Builds everything over one data folder; see RootOptions for what a caller may replace. */
export function composeRoot(options: RootOptions): Root {
  const dirs = options.modelDirs ?? repoModelDirs();
  // The 'fault' fixture only exists to test failing runs; it is never offered.
  const registry = new ModelRegistry(scanModels(dirs).models.filter((m) => m.manifest.id !== 'fault'));
  const faceModelsDir = options.faceModelsDir ?? join(dirs[0]?.dir ?? join(repoRoot(), 'models'), 'face');
  const ownsEngine = options.engine === undefined;
  // One worker host for sampling and the face models: main (or the CLI) only orchestrates.
  const engine = options.engine ?? new InferenceEngine();
  const own =
    options.executor === undefined
      ? createInferenceExecutor({ registry, engine, memoryCapBytes: options.memoryCapBytes })
      : null;
  const base = options.executor === undefined ? own : options.executor;
  const executor = base && options.onResult ? observed(base, options.onResult) : base;
  const app = composeApp({
    ...options,
    executor: executor ?? undefined,
    inferenceEngine: engine,
    modelRegistry: registry,
    appVersion: options.appVersion ?? appVersion(),
    modelProvenance: manifestProvenance([...dirs.map((d) => d.dir), faceModelsDir]),
    faceModelsDir,
  });
  const stop = async (): Promise<void> => {
    if (own) await own.close();
    else if (ownsEngine) await engine.close();
  };
  return {
    ...app,
    registry,
    close: () => {
      app.close();
      void stop();
    },
    closeAndWait: async () => {
      app.close();
      await stop();
    },
  };
}

/** The executor, telling `onResult` what each run returned. */
function observed(inner: RunExecutor, onResult: (runId: string, r: RunResult) => void): RunExecutor {
  const benchmark = inner.benchmark?.bind(inner);
  return {
    plan: (s) => inner.plan(s),
    execute: async (job: RunJob, ctx) => {
      const r = await inner.execute(job, ctx);
      onResult(job.runId, r);
      return r;
    },
    ...(benchmark ? { benchmark } : {}),
  };
}
