import type { FaceService } from '../../services/face-service';
import type { Handlers } from '../router';

/** The contract's face and comparison listing calls. */
export function faceHandlers(faces: FaceService): Pick<Handlers, 'faces.list' | 'comparisons.list'> {
  return {
    'faces.list': (input) => faces.list(input.caseId),
    'comparisons.list': (input) => faces.listComparisons(input.caseId),
  };
}
