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
    'audit_signatures',
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

const Hash = z.string().regex(/^[0-9a-f]{64}$/);

/** Which key vouches for which events: a run of head signatures by one Ed25519 key. */
export const SignerRangeSchema = z.object({
  /** SHA-256 of the raw public key, hex. */
  fingerprint: z.string(),
  /** The raw 32-byte public key, base64. */
  publicKey: z.string(),
  fromSeq: z.number().int(),
  toSeq: z.number().int(),
  /** One of this installation's keys (an imported case keeps the key of the workstation that made it). */
  local: z.boolean(),
});
export type SignerRange = z.infer<typeof SignerRangeSchema>;

/** The result of verifying a case: OK, or the first broken link with its location. */
export const VerifyResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    caseId: z.string(),
    events: z.number().int(),
    /** The head (last event) as an anchor `headSeq:headHash`; absent in manifests made before anchors. */
    headSeq: z.number().int().optional(),
    headHash: z.string(),
    /** The keys whose signatures vouch for the chain; absent in manifests made before signatures. */
    signers: z.array(SignerRangeSchema).optional(),
    /** Events 1..n carry no signature of their own (written before signing, or imported unsigned). */
    unsignedThrough: z.number().int().optional(),
    /** The append-only triggers are in place. */
    triggers: z.literal('present').optional(),
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

/** An anchor checked against today's chain: still there and unchanged, or the first difference. */
export const AnchorResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    caseId: z.string(),
    seq: z.number().int(),
    hash: z.string(),
    headSeq: z.number().int(),
    /** The fingerprint of the key whose signature on the anchored head is stored, if any. */
    signedBy: z.string().optional(),
  }),
  z.object({
    ok: z.literal(false),
    caseId: z.string(),
    seq: z.number().int(),
    hash: z.string(),
    headSeq: z.number().int(),
    /** The first event that differs (or the first missing one, for a cut chain). */
    firstDifference: z.number().int(),
    reason: z.string(),
  }),
]);
export type AnchorResult = z.infer<typeof AnchorResultSchema>;

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
  'audit.verify': {
    input: z
      .object({
        caseId: Id,
        /** Accept only signatures by these key fingerprints. */
        trustedKeys: z.array(Hash).max(16).optional(),
      })
      .strict(),
    output: VerifyResultSchema,
  },
  'audit.checkAnchor': {
    input: z.object({ caseId: Id, seq: z.number().int().positive(), hash: Hash }).strict(),
    output: AnchorResultSchema,
  },
} as const;
