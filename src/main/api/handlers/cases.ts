import type { CaseService } from '../../services/case-service';
import type { Handlers } from '../router';

/** The contract's case calls, served by the case service. */
export function caseHandlers(cases: CaseService): Pick<Handlers, 'cases.list' | 'cases.create'> {
  return {
    'cases.list': () => cases.list(),
    'cases.create': (input) => cases.create(input),
  };
}
