/**
 * The face pipeline's embedders behind the evaluator's `Embedder` interface (src/main/eval/embedders.ts), so
 * `facet eval` and comparisons can open `faceres`, `mobileface` or `faceapi` by name.
 */
import { EMBEDDER_NAMES, type EmbedderName } from '../../core/face/manifest';
import type { Embedder } from '../eval/embedders';
import { FacePipeline } from './pipeline';

/** Names accepted by `openFaceEmbedder`. */
export const FACE_EMBEDDERS: readonly EmbedderName[] = EMBEDDER_NAMES;

/** Opens a face-recognition embedder from `modelsDir` (models/face); `close` releases its sessions. */
export async function openFaceEmbedder(
  modelsDir: string,
  name: EmbedderName,
  threads = 1,
): Promise<{ value: Embedder; close: () => Promise<void> }> {
  if (!FACE_EMBEDDERS.includes(name)) throw new Error(`unknown face embedder ${String(name)}`);
  const pipe = await FacePipeline.load(modelsDir, { threads, defaultEmbedder: name });
  const m = pipe.manifest(name);
  const value: Embedder = {
    info: {
      id: m.id,
      sha256: m.sha256,
      faceRecognition: true,
      note:
        `${m.provenance.upstream}; converted from ${m.provenance.package} ${m.provenance.version}; ` +
        `HR AUC on eval/celeba ${m.identity?.hr.auc ?? 'not measured'}`,
    },
    embed: async (crops) => {
      const out: Float32Array[] = [];
      for (const c of crops) out.push(await pipe.embed(c, name));
      return out;
    },
  };
  return { value, close: () => pipe.close() };
}
