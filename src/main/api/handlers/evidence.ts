import type { EvidenceService } from '../../services/evidence-service';
import type { Handlers } from '../router';

/** The contract's evidence calls. */
export function evidenceHandlers(
  evidence: EvidenceService,
): Pick<Handlers, 'evidence.list' | 'evidence.import'> {
  return {
    'evidence.list': (input) => evidence.list(input.caseId),
    'evidence.import': (input) => evidence.import(input),
  };
}
