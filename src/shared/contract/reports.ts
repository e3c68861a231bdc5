import { z } from 'zod';
import { SignerRangeSchema } from './audit';
import { UserPath } from './evidence';

const Id = z.string().min(1).max(100);

/** The caveat shown wherever an SR output is shown (DESIGN.md section 5). */
export const SR_CAVEAT = 'AI-generated candidate — an investigative aid, not evidence of identity.';

/** The citation of the method. */
export const METHOD_CITATION =
  'M. dos Santos, R. Laroca, R. O. Ribeiro, J. Neves, H. Proença, D. Menotti, "Face Super-Resolution Using Stochastic Differential Equations", SIBGRAPI 2022.';

export const ReportFormat = z.enum(['pdf', 'html', 'manifest']);

/** A stored report file. */
export const ReportSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  runId: z.string().nullable(),
  format: ReportFormat,
  sha256: z.string(),
  sizeBytes: z.number().int(),
  createdAt: z.string(),
});
export type Report = z.infer<typeof ReportSchema>;

/** The outcome of re-running a manifest's runs and comparing output hashes. */
export const ManifestVerificationSchema = z.object({
  ok: z.boolean(),
  runs: z.array(
    z.object({
      runId: z.string(),
      identical: z.boolean(),
      sameProvider: z.boolean(),
      outputs: z.array(
        z.object({
          kind: z.string(),
          index: z.number().int(),
          expected: z.string(),
          actual: z.string(),
          identical: z.boolean(),
          /** Largest absolute difference in 8-bit levels between the stored and regenerated image. */
          maxAbsDiff8: z.number(),
          /** Mean absolute difference in 8-bit levels. */
          meanAbsDiff8: z.number(),
        }),
      ),
      summary: z.string(),
    }),
  ),
  problems: z.array(z.string()),
  /** Each check by name: ok, fail, or skipped (what it needs is not here), with what it found. */
  checks: z.array(
    z.object({ name: z.string(), status: z.enum(['ok', 'fail', 'skipped']), detail: z.string() }),
  ),
});
export type ManifestVerification = z.infer<typeof ManifestVerificationSchema>;

export const reportCalls = {
  'reports.list': { input: z.object({ caseId: Id }).strict(), output: z.array(ReportSchema) },
  'reports.create': {
    input: z
      .object({
        caseId: Id,
        runId: Id.optional(),
        formats: z.array(ReportFormat).min(1).default(['pdf', 'html', 'manifest']),
      })
      .strict(),
    output: z.array(ReportSchema),
  },
  'reports.export': {
    input: z.object({ reportId: Id, path: UserPath }).strict(),
    output: z.object({ path: z.string(), sha256: z.string() }),
  },
  'reports.verifyManifest': {
    input: z
      .object({
        path: UserPath,
        /** Folders where the evidence originals may be found (`facet verify --evidence DIR`). */
        evidenceDirs: z.array(UserPath).max(8).optional(),
      })
      .strict(),
    output: ManifestVerificationSchema,
  },
  'cases.export': {
    input: z.object({ caseId: Id, path: UserPath }).strict(),
    output: z.object({
      path: z.string(),
      sha256: z.string(),
      files: z.number().int(),
      events: z.number().int(),
      /** The head exported, as an anchor. */
      head: z.object({ seq: z.number().int(), hash: z.string() }),
      signers: z.array(SignerRangeSchema),
    }),
  },
  'cases.import': {
    input: z.object({ path: UserPath }).strict(),
    output: z.object({
      caseId: z.string(),
      events: z.number().int(),
      files: z.number().int(),
      /** The head after the import event, as an anchor. */
      head: z.object({ seq: z.number().int(), hash: z.string() }),
      /** Who signed the imported events (the originating key) and the import (this installation's). */
      signers: z.array(SignerRangeSchema),
      /** Events 1..n of the archive carried no signature (an archive from before signatures). */
      unsignedThrough: z.number().int(),
    }),
  },
} as const;
