/** What every job gets from the worker: the open models, the cancel signal and the progress sink. */
import type { CancelSignal } from '../../core/sampling/api';
import { FacePipeline } from '../face/pipeline';
import type { EngineProgress, FaceModelsSpec, ModelSpec, RunTelemetry } from './protocol';
import { OrtScoreModel } from './score-model';

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

/** The face models (detector, landmarks, embedders) by folder and thread count: each set is opened once. */
export class FaceModelCache {
  private readonly open = new Map<string, Promise<FacePipeline>>();

  /** The face pipeline for this spec, loading its ONNX sessions on first use. */
  get(spec: FaceModelsSpec): Promise<FacePipeline> {
    const key = `${spec.modelsDir}|${spec.threads}`;
    let p = this.open.get(key);
    if (!p) {
      p = FacePipeline.load(spec.modelsDir, { threads: spec.threads });
      this.open.set(key, p);
      // A failed load is not cached: the next job tries again.
      p.catch(() => this.open.delete(key));
    }
    return p;
  }

  /** Releases every session. */
  async clear(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    for (const p of all) await p.then((x) => x.close()).catch(() => undefined);
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
