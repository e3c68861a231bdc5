/**
 * Score models and embedders by name for `facet eval`. Analytic test models and the pixel embedder always exist;
 * ONNX score models (C3) and the face-recognition embedders (C4) open through the inference engine and the face
 * pipeline.
 */
import { join } from 'node:path';
import type { EmbedderName } from '../../core/face/manifest';
import type { SdeConfig } from '../../core/sampling/api';
import { FACE_EMBEDDERS, openFaceEmbedder } from '../face/embedder';
import { defaultModelDirs } from '../inference/registry';
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

/** `analytic-ve|vp|subvp` (paper SDE parameters, data std `tau`) or the path of a C3 manifest. */
export async function openScoreModel(
  spec: string,
  tau: number,
  _threads: number,
): Promise<Opened<EvalScoreModel>> {
  const analytic = /^analytic-(ve|vp|subvp)$/.exec(spec);
  if (analytic) {
    return {
      value: analyticGaussianModel(PAPER_SDE[analytic[1] as 've' | 'vp' | 'subvp'], tau),
      close: async () => {},
    };
  }
  throw new Error(
    `Model ${spec}: ONNX score models open through the inference engine (src/main/inference), which this build ` +
      'does not have yet; use analytic-ve, analytic-vp or analytic-subvp.',
  );
}

/** `pixel` (test stand-in) or a face-recognition embedder of the face pipeline. */
export async function openEmbedder(name: string, threads: number): Promise<Opened<Embedder>> {
  if (name === 'pixel') return { value: pixelEmbedder, close: async () => {} };
  if ((FACE_EMBEDDERS as readonly string[]).includes(name)) {
    return openFaceEmbedder(join(defaultModelDirs().models, 'face'), name as EmbedderName, threads);
  }
  throw new Error(`Unknown embedder ${name}: use ${['pixel', ...FACE_EMBEDDERS].join(', ')}.`);
}
