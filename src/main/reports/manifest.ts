/**
 * The machine-readable report manifest: everything another examiner needs to check and regenerate a case's
 * SR outputs. Images are embedded (base64 PNG) so the manifest verifies on its own, without the case database.
 */
import { z } from 'zod';
import {
  EvidenceSchema,
  FaceSchema,
  ComparisonSchema,
  ReproRecordSchema,
  RunSettingsSchema,
  RunOutputSchema,
  VerifyResultSchema,
  AuditEventSchema,
} from '../../shared/contract';

export const MANIFEST_FORMAT = 'facet-sr/report-manifest@1';

const Png = z.string().regex(/^[A-Za-z0-9+/=]*$/, 'base64');

/** A run output as stored, with its PNG embedded so the manifest verifies without the database. */
export const ManifestOutputSchema = RunOutputSchema.extend({ png: Png });

export const ManifestRunSchema = z.object({
  id: z.string(),
  /** The run's number in its case, oldest first ("Run 3"), as the app numbers it. */
  number: z.number().int().positive().optional(),
  faceId: z.string(),
  rerunOf: z.string().nullable(),
  status: z.string(),
  device: z.string(),
  settings: RunSettingsSchema,
  seed: z.string(),
  record: ReproRecordSchema.nullable(),
  model: z
    .object({ id: z.string(), sha256: z.string(), provenance: z.record(z.string(), z.unknown()).nullable() })
    .nullable(),
  queuedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  outputs: z.array(ManifestOutputSchema),
});

/** The report manifest, as written and as read back by `facet verify`. */
export const ReportManifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  generatedAt: z.string(),
  generator: z.object({ app: z.string(), version: z.string() }),
  /** Who made the report: the examiner's name as given (null: none given) and the OS account. */
  examiner: z.object({ name: z.string().nullable(), osAccount: z.string() }).optional(),
  caveat: z.string(),
  citation: z.string(),
  scope: z.object({ caseId: z.string(), runId: z.string().nullable() }),
  case: z.object({ id: z.string(), name: z.string(), status: z.string(), createdAt: z.string() }),
  evidence: z.array(EvidenceSchema),
  /** Each face with its number within its evidence file ("Face 2 of still.jpg"; shared/labels faceNumbers). */
  faces: z.array(
    FaceSchema.extend({ number: z.number().int().positive().optional(), cropPng: Png, lrPng: Png }),
  ),
  runs: z.array(ManifestRunSchema),
  comparisons: z.array(ComparisonSchema),
  audit: z.object({
    verification: VerifyResultSchema,
    events: z.number().int(),
    /** The anchor: the head at report time, `headSeq:headHash`. */
    headSeq: z.number().int(),
    headHash: z.string(),
    /** The stored Ed25519 signature of that head (absent in manifests made before signatures). */
    headSignature: z
      .object({ publicKey: z.string(), keyFingerprint: z.string(), signature: z.string() })
      .nullable()
      .optional(),
    /** Every event up to the head, so the manifest's rows can be checked against the chain without the case. */
    chain: z.array(AuditEventSchema).optional(),
    excerpt: z.array(AuditEventSchema),
  }),
  howToVerify: z.array(z.string()),
});
export type ReportManifest = z.infer<typeof ReportManifestSchema>;
export type ManifestRun = z.infer<typeof ManifestRunSchema>;

/** What the signatures protect against and what they do not, stated in every report and in the README. */
export const SIGNATURE_SCOPE =
  "Each audit head is signed with the generating installation's Ed25519 key. This protects against edits by anyone without that key, and, once this report's anchor has left the machine, against any later rewrite or truncation of the chain before the anchor, including by the key holder. It does not protect against the key holder rewriting the chain before any anchor was handed out: check the key fingerprint against one obtained independently.";

/** The steps a reader follows to check the report. */
export const HOW_TO_VERIFY: readonly string[] = [
  'Hash this manifest file with SHA-256 and compare with the manifest SHA-256 printed in the PDF/HTML report.',
  'Keep the anchor (audit head SEQ:HASH) and the signing key fingerprint printed in the report: they are what later checks compare against.',
  'Run `facet verify <this manifest> [--evidence DIR]`: it recomputes the chain in the manifest, checks the head signature, checks every row of the manifest against the chain, checks the anchor against the case on this workstation (if present), re-hashes the evidence files it finds, checks every embedded image against its SHA-256, and re-runs each run from its record, comparing the SHA-256 of the output pixels (float32, little-endian, HWC). Each check is reported by name with OK, FAIL or SKIPPED.',
  'On the same execution provider the outputs must be bit-identical; on another provider the tool states the measured difference (max and mean absolute difference in 8-bit levels).',
  "Run `facet audit verify <case id> --anchor SEQ:HASH` on the examiner's workstation (or after `facet case import`): it proves the anchored head is still in the chain and nothing before it changed, or names the first difference.",
];
