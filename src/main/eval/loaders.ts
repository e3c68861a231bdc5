/**
 * Score models and embedders by name for `facet eval`. Analytic test models and the pixel embedder always exist;
 * ONNX score models (C3) and the face-recognition embedders (C4) open through the inference engine and the face
 * pipeline.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
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

/** A C3 manifest path (`….json`) or a model id of the registry, opened in onnxruntime on the CPU. */
async function openOnnxScoreModel(spec: string, threads: number): Promise<Opened<EvalScoreModel>> {
  const entry: ScoreModelEntry = spec.endsWith('.json')
    ? {
        manifest: parseManifest(readFileSync(spec, 'utf8'), spec),
        manifestPath: spec,
        onnxPath: spec.replace(/\.json$/, '.onnx'),
      }
    : ModelRegistry.fromDisk().resolve(spec);
  const model = await OrtScoreModel.open(entry, { provider: 'cpu', threads: Math.max(1, threads) });
  const m = entry.manifest;
  return {
    value: {
      info: {
        id: m.id,
        sha256: m.sha256,
        sde: sdeOfManifest(m),
        dataRange: m.sde === 've' ? '0,1' : '-1,1',
        trainedOnFaces: m.training.steps > 0,
        note: `ONNX score model ${basename(entry.onnxPath)}; trained on ${m.training.data} (${m.training.steps} steps)`,
      },
      score: model.scoreFn(),
    },
    close: () => model.session.release(),
  };
}

/** `pixel` (test stand-in) or a face-recognition embedder of the face pipeline. */
export async function openEmbedder(name: string, threads: number): Promise<Opened<Embedder>> {
  if (name === 'pixel') return { value: pixelEmbedder, close: async () => {} };
  if ((FACE_EMBEDDERS as readonly string[]).includes(name)) {
    return openFaceEmbedder(join(defaultModelDirs().models, 'face'), name as EmbedderName, threads);
  }
  throw new Error(`Unknown embedder ${name}: use ${['pixel', ...FACE_EMBEDDERS].join(', ')}.`);
}
