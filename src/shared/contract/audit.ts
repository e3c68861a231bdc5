import { z } from 'zod';

const Id = z.string().min(1).max(100);

/** One C6 audit event, as the API shows it. */
export const AuditEventSchema = z.object({
  caseId: z.string(),
  seq: z.number().int().positive(),
  time: z.string(),
  /** The OS account. */
  actor: z.string(),
  /** The examiner's name as given (settings, --examiner, FACET_EXAMINER); null or absent when none was. */
  examiner: z.string().nullable().optional(),
  action: z.string(),
  subject: z.string(),
  payload: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

/** Where a verification failed: a table row or a file. */
export const IntegrityLocationSchema = z.object({
  table: z.enum([
    'audit_events',
    'audit_heads',
    'cases',
    'evidence',
    'faces',
    'runs',
    'outputs',
    'comparisons',
    'reports',
  ]),
  caseId: z.string(),
  /** The audit event's sequence number, for chain breaks. */
  seq: z.number().int().optional(),
  /** The row id, for evidence/outputs/reports. */
  id: z.string().optional(),
  /** The column whose stored value differs from what the audit chain recorded, if any. */
  column: z.string().optional(),
  /** The file that failed its hash, if any. */
  file: z.string().optional(),
});

/** The result of verifying a case: OK, or the first broken link with its location. */
export const VerifyResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    caseId: z.string(),
    events: z.number().int(),
    headHash: z.string(),
    filesChecked: z.number().int(),
    /** Columns a case of an older audit format cannot vouch for (`table.column`); absent when all are checked. */
    uncheckedColumns: z.array(z.string()).optional(),
  }),
  z.object({
    ok: z.literal(false),
    caseId: z.string(),
    events: z.number().int(),
    location: IntegrityLocationSchema,
    reason: z.string(),
  }),
]);
export type VerifyResult = z.infer<typeof VerifyResultSchema>;

export const auditCalls = {
  'audit.list': {
    input: z
      .object({
        caseId: Id,
        afterSeq: z.number().int().nonnegative().default(0),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    output: z.array(AuditEventSchema),
  },
  'audit.verify': { input: z.object({ caseId: Id }).strict(), output: VerifyResultSchema },
} as const;
