/**
 * Score models and embedders by name for `facet eval`. Analytic test models and the pixel embedder always exist;
 * ONNX score models (C3) open through the inference engine, the face-recognition embedders (C4) through the face
 * pipeline.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { EvalModel } from '../../core/eval/schema';
import type { EmbedderName } from '../../core/face/manifest';
import type { SdeConfig } from '../../core/sampling/api';
import { FACE_EMBEDDERS, openFaceEmbedder } from '../face/embedder';
import { parseManifest, sdeOfManifest, type ScoreModelEntry } from '../inference/manifest';
import { defaultModelDirs, ModelRegistry } from '../inference/registry';
import { OrtScoreModel } from '../inference/score-model';
import { analyticGaussianModel } from './analytic-model';
import { pixelEmbedder, type Embedder } from './embedders';
import type { EvalScoreModel } from './evaluator';

/** An opened resource and how to release it. */
export interface Opened<T> {
  readonly value: T;
  readonly close: () => Promise<void>;
}

const PAPER_SDE: Record<'ve' | 'vp' | 'subvp', SdeConfig> = {
  ve: { kind: 've', sigmaMin: 0.01, sigmaMax: 348 },
  vp: { kind: 'vp', betaMin: 0.1, betaMax: 20 },
  subvp: { kind: 'subvp', betaMin: 0.1, betaMax: 20 },
};

/** `analytic-ve|vp|subvp` (paper SDE parameters, data std `tau`), the path of a C3 manifest, or a model id. */
export async function openScoreModel(
  spec: string,
  tau: number,
  threads: number,
): Promise<Opened<EvalScoreModel>> {
  const analytic = /^analytic-(ve|vp|subvp)$/.exec(spec);
  if (analytic) {
    return {
      value: analyticGaussianModel(PAPER_SDE[analytic[1] as 've' | 'vp' | 'subvp'], tau),
      close: async () => {},
    };
  }
  return openOnnxScoreModel(spec, threads);
}

/**
 * A C3 model (the path of `<name>.json` beside `<name>.onnx`, or a model id of the registry; SHA-256 checked) on
 * the CPU through the inference engine. It
 * counts as trained on faces only when its manifest records images seen in training; the analytic fixtures record
 * none and are labelled as not trained on faces in the results.
 */
export async function openOnnxScoreModel(spec: string, threads: number): Promise<Opened<EvalScoreModel>> {
  const entry: ScoreModelEntry = spec.endsWith('.json')
    ? {
        manifest: parseManifest(readFileSync(spec, 'utf8'), spec),
        manifestPath: spec,
        onnxPath: join(dirname(spec), `${basename(spec, '.json')}.onnx`),
      }
    : ModelRegistry.fromDisk().resolve(spec);
  const manifest = entry.manifest;
  const ort = await OrtScoreModel.open(entry, { provider: 'cpu', threads: Math.max(1, threads) });
  const [lo, hi] = manifest.data_range;
  if (!(hi === 1 && (lo === 0 || lo === -1))) {
    await ort.release();
    throw new Error(`Model ${manifest.id}: data range [${lo}, ${hi}] is neither [0, 1] nor [-1, 1].`);
  }
  const t = manifest.training;
  const trained = t.images_seen > 0;
  const info: EvalModel = {
    id: manifest.id,
    sha256: manifest.sha256,
    sde: sdeOfManifest(manifest),
    dataRange: lo === 0 ? '0,1' : '-1,1',
    trainedOnFaces: trained,
    note: trained
      ? `trained on ${t.data}: ${t.steps} steps, ${t.images_seen} images seen, ${t.minutes} min on ${t.device}`
      : `NOT trained on faces: ${t.data}`,
  };
  return { value: { info, score: ort.scoreFn() }, close: () => ort.release() };
}

/** `pixel` (test stand-in) or a face-recognition embedder of the face pipeline. */
export async function openEmbedder(name: string, threads: number): Promise<Opened<Embedder>> {
  if (name === 'pixel') return { value: pixelEmbedder, close: async () => {} };
  if ((FACE_EMBEDDERS as readonly string[]).includes(name)) {
    return openFaceEmbedder(join(defaultModelDirs().models, 'face'), name as EmbedderName, threads);
  }
  throw new Error(`Unknown embedder ${name}: use ${['pixel', ...FACE_EMBEDDERS].join(', ')}.`);
}
