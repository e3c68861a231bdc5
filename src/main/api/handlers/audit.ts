import type { AuditService } from '../../services/audit-service';
import type { ObjectStore } from '../../store/object-store';
import type { Handlers } from '../router';

/** The contract's audit calls: listing events, verifying a case and checking an anchor against it. */
export function auditHandlers(
  audit: AuditService,
  store: ObjectStore,
): Pick<Handlers, 'audit.list' | 'audit.verify' | 'audit.checkAnchor'> {
  return {
    'audit.list': (input) => audit.list(input.caseId, input.afterSeq, input.limit),
    'audit.verify': (input) =>
      audit.verify(input.caseId, store, input.trustedKeys ? { trustedKeys: input.trustedKeys } : {}),
    'audit.checkAnchor': (input) => audit.checkAnchor(input.caseId, { seq: input.seq, hash: input.hash }),
  };
}
