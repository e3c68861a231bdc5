import { z } from 'zod';

const Id = z.string().min(1).max(100);

/** The role of an evidence image: the probe (the still to enhance) or a reference (suspect) photo. */
export const EvidenceRole = z.enum(['probe', 'reference']);
export type EvidenceRole = z.infer<typeof EvidenceRole>;

/** An imported, immutable evidence image, stored once by SHA-256. */
export const EvidenceSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  role: EvidenceRole,
  sha256: z.string(),
  originalName: z.string(),
  sizeBytes: z.number().int(),
  mediaType: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  importedAt: z.string(),
  importedBy: z.string(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

/** An absolute file path the user picked (the service checks it is one the user chose). */
export const UserPath = z
  .string()
  .min(1, 'A path is required.')
  .max(4096, 'The path is too long.')
  .refine((s) => !s.includes('\u0000'), { message: 'A path cannot contain NUL.' });

export const evidenceCalls = {
  'evidence.list': { input: z.object({ caseId: Id }).strict(), output: z.array(EvidenceSchema) },
  'evidence.import': {
    input: z.object({ caseId: Id, path: UserPath, role: EvidenceRole.default('probe') }).strict(),
    output: z.object({ evidence: EvidenceSchema, duplicate: z.boolean() }),
  },
} as const;
