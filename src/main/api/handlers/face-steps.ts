import { calibrate, cosineSimilarity } from '../../../core/face/calibration';
import { formLr } from '../../../core/image/lr';
import { FacetError } from '../../../shared/errors';
import { FacePipeline } from '../../face/pipeline';
import type { EvidenceService } from '../../services/evidence-service';
import type { FaceService } from '../../services/face-service';
import type { RunService } from '../../services/run-service';
import type { ObjectStore } from '../../store/object-store';
import { decodeRgb } from '../../store/images';
import type { Handlers } from '../router';

/** The face step over the face pipeline (models loaded on first use) and the face service. */
export function faceStepHandlers(deps: {
  readonly faceModelsDir: string | null;
  readonly evidence: EvidenceService;
  readonly faces: FaceService;
  readonly store: ObjectStore;
  readonly runs: RunService;
}): Pick<Handlers, 'faces.detect' | 'faces.align' | 'comparisons.create'> & { close(): Promise<void> } {
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
    'comparisons.create': async (input) => {
      const ref = deps.evidence.get(input.referenceEvidenceId);
      const run = deps.runs.get(input.runId);
      if (ref.caseId !== input.caseId || run.caseId !== input.caseId)
        throw new FacetError('invalid-input', 'The reference photo and the run must belong to this case.');
      if (run.status !== 'done') throw new FacetError('conflict', 'Only a finished run can be compared.');
      const [p, image] = await Promise.all([load(), still(ref.id)]);
      const found = (await p.detect(image)).sort((a, b) => b.score - a.score)[0];
      if (!found) throw new FacetError('invalid-input', `No face was found in ${ref.originalName}.`);
      const manifest = p.manifest();
      const refEmbedding = await p.embed(p.align(image, found.landmarks).crop);
      const out = [];
      for (const o of run.outputs.filter((x) => x.kind !== 'uncertainty')) {
        const img = await decodeRgb(deps.store.read(run.caseId, o.sha256));
        const score = cosineSimilarity(await p.embed(img), refEmbedding);
        const placed = manifest.calibration ? calibrate(score, manifest) : null;
        out.push(
          deps.faces.recordComparison({
            caseId: run.caseId,
            outputId: o.id,
            referenceEvidenceId: ref.id,
            embedderId: manifest.id,
            embedderSha256: manifest.sha256,
            score,
            calibrationPercentile: placed?.impostorPercentile ?? null,
            calibration: placed
              ? {
                  genuinePercentile: placed.genuinePercentile,
                  impostorPairs: manifest.calibration!.impostorPairs,
                  genuinePairs: manifest.calibration!.genuinePairs,
                }
              : {},
          }),
        );
      }
      return out;
    },
    close: async () => {
      if (pipeline) await (await pipeline).close();
    },
  };
}
