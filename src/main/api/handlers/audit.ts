import type { AuditService } from '../../services/audit-service';
import type { ObjectStore } from '../../store/object-store';
import type { Handlers } from '../router';

/** The contract's audit calls: listing events and verifying a case. */
export function auditHandlers(
  audit: AuditService,
  store: ObjectStore,
): Pick<Handlers, 'audit.list' | 'audit.verify'> {
  return {
    'audit.list': (input) => audit.list(input.caseId, input.afterSeq, input.limit),
    'audit.verify': (input) => audit.verify(input.caseId, store),
  };
}
