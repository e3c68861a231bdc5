import type { FaceAnalysisService } from '../../services/face-analysis-service';
import type { FaceService } from '../../services/face-service';
import type { Handlers } from '../router';

type FaceCalls =
  | 'faces.list'
  | 'comparisons.list'
  | 'faces.detect'
  | 'faces.align'
  | 'comparisons.run'
  | 'comparisons.sweep';

/** The contract's face calls: listing, detection, alignment and embedder comparisons. */
export function faceHandlers(faces: FaceService, analysis: FaceAnalysisService): Pick<Handlers, FaceCalls> {
  return {
    'faces.list': (input) => faces.list(input.caseId),
    'comparisons.list': (input) => faces.listComparisons(input.caseId),
    'faces.detect': async (input) => ({
      evidenceId: input.evidenceId,
      ...(await analysis.detect(input.caseId, input.evidenceId)),
    }),
    'faces.align': (input) => analysis.align(input),
    'comparisons.run': (input) =>
      analysis.compareRun(input.caseId, input.runId, input.referenceFaceId, input.allowSameSource === true),
    'comparisons.sweep': (input) =>
      analysis.compareSweep(
        input.caseId,
        input.sweepId,
        input.referenceFaceId,
        input.allowSameSource === true,
      ),
  };
}
