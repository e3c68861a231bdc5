/**
 * The face models as main uses them: detection, landmarks and embeddings run as face jobs in the inference worker
 * (the same worker host as sampling), so no face-model ORT session is ever opened in the main process. Alignment is
 * a pure warp from core and runs here. Same calls as the face pipeline (FacePipeline), which the worker runs.
 */
import { alignFace, type AlignedFace } from '../../core/face/align';
import type { LrCalibrationFile } from '../../core/face/likelihood-ratio';
import type { EmbedderManifest, EmbedderName } from '../../core/face/manifest';
import type { Point, RgbImage } from '../../core/image/types';
import { FacetError } from '../../shared/errors';
import type { InferenceEngine } from './engine';
import type { FaceAnswer, FaceCall, FaceFound, FaceJobResult, FaceModelsSpec } from './protocol';

/** Face models in the inference worker: open one per models folder over the engine that also samples. */
export class WorkerFaceModels {
  /** The worker thread that ran the last face call (0 would be the main thread; it never is). */
  lastThreadId: number | null = null;

  private constructor(
    private readonly engine: InferenceEngine,
    private readonly spec: FaceModelsSpec,
    private readonly defaultEmbedder: EmbedderName,
    private readonly manifests: Readonly<Partial<Record<EmbedderName, EmbedderManifest>>>,
    private readonly calibrations: Readonly<Partial<Record<EmbedderName, LrCalibrationFile | null>>>,
    private readonly ownsEngine: boolean,
  ) {}

  /**
   * Opens the face models of `modelsDir` in the engine's worker (loads their sessions there) and reads the
   * embedders' manifests back. `ownsEngine`: `close` also stops the engine.
   */
  static async open(
    engine: InferenceEngine,
    modelsDir: string,
    options: { threads?: number; ownsEngine?: boolean } = {},
  ): Promise<WorkerFaceModels> {
    const spec = { modelsDir, threads: options.threads ?? 1 };
    const opened = await call(engine, spec, { op: 'open' }, 'open');
    return new WorkerFaceModels(
      engine,
      spec,
      opened.defaultEmbedder,
      opened.manifests,
      opened.lrCalibrations,
      options.ownsEngine ?? false,
    );
  }

  /** Finds faces and their five C1 landmarks (image px). */
  async detect(image: RgbImage): Promise<FaceFound[]> {
    return (await this.call({ op: 'detect', image }, 'detect')).faces;
  }

  /** Five landmarks from two placed eye centres (image-left eye first); see FacePipeline.landmarksFromEyes. */
  async landmarksFromEyes(
    image: RgbImage,
    rightEye: Point,
    leftEye: Point,
  ): Promise<{ points: Point[]; meshScore: number }> {
    const r = await this.call({ op: 'landmarks-from-eyes', image, rightEye, leftEye }, 'landmarks-from-eyes');
    return { points: r.points, meshScore: r.meshScore };
  }

  /** Aligns to C1 from 2 (eye centres) or 5 landmarks in image px (a warp: no model). */
  align(image: RgbImage, points: readonly Point[]): AlignedFace {
    return alignFace(image, points);
  }

  /** Identity embedding of a square C1 crop. */
  async embed(crop: RgbImage, embedder: EmbedderName = this.defaultEmbedder): Promise<Float32Array> {
    return (await this.call({ op: 'embed', crop, embedder }, 'embed')).embedding;
  }

  /** The manifest of an embedder (provenance, input spec, measured separation, calibration). */
  manifest(embedder: EmbedderName = this.defaultEmbedder): EmbedderManifest {
    const m = this.manifests[embedder];
    if (!m) throw new FacetError('invalid-input', `There is no face embedder ${embedder}.`);
    return m;
  }

  /** The embedder's score-to-LR calibrations, or null when it has none (read with the models, in the worker). */
  lrCalibrations(embedder: EmbedderName = this.defaultEmbedder): LrCalibrationFile | null {
    return this.calibrations[embedder] ?? null;
  }

  /** The sessions live in the worker and go with it; an owned engine is stopped here. */
  async close(): Promise<void> {
    if (this.ownsEngine) await this.engine.close();
  }

  private async call<O extends FaceAnswer['op']>(
    c: FaceCall & { op: O },
    op: O,
  ): Promise<Extract<FaceJobResult, { op: O }>> {
    const r = await call(this.engine, this.spec, c, op);
    this.lastThreadId = r.threadId;
    return r;
  }
}

async function call<O extends FaceAnswer['op']>(
  engine: InferenceEngine,
  models: FaceModelsSpec,
  c: FaceCall,
  op: O,
): Promise<Extract<FaceJobResult, { op: O }>> {
  const out = await engine.run<FaceJobResult>({ kind: 'face', models, call: c });
  if (out.status !== 'done') throw new FacetError('cancelled', 'The face job was cancelled.');
  const r = out.result;
  if (r.kind !== 'face' || r.op !== op)
    throw new FacetError('internal', `The inference worker answered ${r.kind}/${r.op} to a face ${op} call.`);
  return r as Extract<FaceJobResult, { op: O }>;
}
