import { formLr } from '../../../core/image/lr';
import { FacetError } from '../../../shared/errors';
import { FacePipeline } from '../../face/pipeline';
import type { EvidenceService } from '../../services/evidence-service';
import type { FaceService } from '../../services/face-service';
import type { ObjectStore } from '../../store/object-store';
import { decodeRgb } from '../../store/images';
import type { Handlers } from '../router';

/** The face step over the face pipeline (models loaded on first use) and the face service. */
export function faceStepHandlers(deps: {
  readonly faceModelsDir: string | null;
  readonly evidence: EvidenceService;
  readonly faces: FaceService;
  readonly store: ObjectStore;
}): Pick<Handlers, 'faces.detect' | 'faces.align'> & { close(): Promise<void> } {
  let pipeline: Promise<FacePipeline> | null = null;
  const load = (): Promise<FacePipeline> => {
    if (!deps.faceModelsDir) throw new FacetError('conflict', 'The face models are not installed here.');
    pipeline ??= FacePipeline.load(deps.faceModelsDir);
    return pipeline;
  };
  const still = async (evidenceId: string) => {
    const e = deps.evidence.get(evidenceId);
    return decodeRgb(deps.store.read(e.caseId, e.sha256));
  };
  return {
    'faces.detect': async (input) => {
      const [p, image] = await Promise.all([load(), still(input.evidenceId)]);
      const found = await p.detect(image);
      return found.map((f) => ({
        box: { ...f.box },
        score: f.score,
        points: f.landmarks.map((q) => ({ ...q })),
      }));
    },
    'faces.align': async (input) => {
      const [p, image] = await Promise.all([load(), still(input.evidenceId)]);
      let aligned;
      try {
        aligned = p.align(image, input.points);
      } catch (e) {
        throw new FacetError('invalid-input', `These points cannot be aligned: ${(e as Error).message}`);
      }
      return deps.faces.storeAligned({
        evidenceId: input.evidenceId,
        method: input.method,
        points: input.points,
        transform: [...aligned.transform],
        crop: aligned.crop,
        lr: formLr(aligned.crop),
      });
    },
    close: async () => {
      if (pipeline) await (await pipeline).close();
    },
  };
}
