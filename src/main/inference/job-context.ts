/** What every job gets from the worker: the open models, the cancel signal and the progress sink. */
import type { CancelSignal } from '../../core/sampling/api';
import { FacePipeline } from '../face/pipeline';
import type { EngineProgress, FaceModelsSpec, ModelSpec, RunTelemetry } from './protocol';
import { OrtScoreModel } from './score-model';

/** Things opened once per key (ORT sessions): a failed open is not kept, so the next job tries again. */
class OpenOnce<T> {
  private readonly open = new Map<string, Promise<T>>();

  constructor(private readonly release: (t: T) => Promise<unknown>) {}

  /** The thing for `key`, opened by `open` on first use. */
  get(key: string, open: () => Promise<T>): Promise<T> {
    let p = this.open.get(key);
    if (!p) {
      p = open();
      this.open.set(key, p);
      // E.g. after the file is fixed.
      p.catch(() => this.open.delete(key));
    }
    return p;
  }

  /** Releases everything opened. */
  async clear(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    for (const p of all) await p.then(this.release).catch(() => undefined);
  }
}

/** Open score models by file, hash, provider, threads and memory cap: each is loaded once. */
export class ModelCache {
  private readonly models = new OpenOnce<OrtScoreModel>((m) => m.release());

  /** The model for this spec, opening it (SHA-256 check included) on first use. */
  get(spec: ModelSpec): Promise<OrtScoreModel> {
    const e = spec.entry;
    const key = [e.onnxPath, e.manifest.sha256, spec.provider, spec.threads, spec.memoryCapBytes].join('|');
    return this.models.get(key, () => OrtScoreModel.open(e, spec));
  }

  /** Releases every session. */
  clear(): Promise<void> {
    return this.models.clear();
  }
}

/** The face models (detector, landmarks, embedders) by folder and thread count: each set is opened once. */
export class FaceModelCache {
  private readonly pipelines = new OpenOnce<FacePipeline>((p) => p.close());

  /** The face pipeline for this spec, loading its ONNX sessions on first use. */
  get(spec: FaceModelsSpec): Promise<FacePipeline> {
    const open = () => FacePipeline.load(spec.modelsDir, { threads: spec.threads });
    return this.pipelines.get(`${spec.modelsDir}|${spec.threads}`, open);
  }

  /** Releases every session. */
  clear(): Promise<void> {
    return this.pipelines.clear();
  }
}

/** What a job needs from its host. */
export interface JobContext {
  readonly models: ModelCache;
  readonly faces: FaceModelCache;
  readonly signal: CancelSignal;
  readonly onProgress: (p: EngineProgress) => void;
}

/** Telemetry of a model since `before` was taken. */
export function telemetrySince(
  model: OrtScoreModel,
  before: { nfe: number; ortCalls: number; ortMs: number },
  wallMs: number,
  maxBatch: number,
  samplingMs = wallMs,
): RunTelemetry {
  return {
    provider: model.provider,
    providerFallback: model.fallback,
    threads: model.threads,
    nfe: model.stats.nfe - before.nfe,
    ortCalls: model.stats.ortCalls - before.ortCalls,
    ortMs: model.stats.ortMs - before.ortMs,
    wallMs,
    samplingMs,
    peakRssBytes: Math.max(model.stats.peakRssBytes, process.memoryUsage.rss()),
    maxBatch,
  };
}
