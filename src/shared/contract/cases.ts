import { z } from 'zod';

/** A case: the unit of work an investigator opens, holding evidence, runs and reports. */
export const CaseSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  status: z.enum(['open', 'closed']),
  updatedAt: z.string().nullable().optional(),
  closedAt: z.string().nullable().optional(),
});
export type Case = z.infer<typeof CaseSchema>;

/** A case name as a user types it: trimmed, 1-200 characters, no control characters. */
export const CaseName = z
  .string()
  .trim()
  .min(1, 'A case name is required.')
  .max(200, 'A case name has at most 200 characters.')
  .refine((s) => ![...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f), {
    message: 'A case name cannot contain control characters.',
  });

export const caseCalls = {
  'cases.list': { input: z.object({}).strict(), output: z.array(CaseSchema) },
  'cases.create': { input: z.object({ name: CaseName }).strict(), output: CaseSchema },
  'cases.get': { input: z.object({ caseId: z.string().min(1).max(100) }).strict(), output: CaseSchema },
  'cases.rename': {
    input: z.object({ caseId: z.string().min(1).max(100), name: CaseName }).strict(),
    output: CaseSchema,
  },
  'cases.close': { input: z.object({ caseId: z.string().min(1).max(100) }).strict(), output: CaseSchema },
  'cases.reopen': { input: z.object({ caseId: z.string().min(1).max(100) }).strict(), output: CaseSchema },
} as const;
