import type { CaseService } from '../../services/case-service';
import type { Handlers } from '../router';

/** The contract's case calls, served by the case service. */
export function caseHandlers(
  cases: CaseService,
): Pick<
  Handlers,
  'cases.list' | 'cases.create' | 'cases.get' | 'cases.rename' | 'cases.close' | 'cases.reopen'
> {
  return {
    'cases.list': () => cases.list(),
    'cases.create': (input) => cases.create(input),
    'cases.get': (input) => cases.get(input.caseId),
    'cases.rename': (input) => cases.rename(input.caseId, input.name),
    'cases.close': (input) => cases.close(input.caseId),
    'cases.reopen': (input) => cases.reopen(input.caseId),
  };
}
