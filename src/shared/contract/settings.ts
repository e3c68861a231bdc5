/** The examiner's settings: the name recorded in every audit event beside the OS account. */
import { z } from 'zod';

/** An examiner's name as typed: trimmed, 1-200 characters, no control characters. */
export const ExaminerName = z
  .string()
  .trim()
  .min(1, 'An examiner name is required.')
  .max(200, 'An examiner name has at most 200 characters.')
  .refine((s) => ![...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f), {
    message: 'An examiner name cannot contain control characters.',
  });

export const SettingsSchema = z.object({
  /** Recorded in audit events and printed in reports; null until the examiner gives it. */
  examiner: z.string().nullable(),
  /** The OS account, recorded in every event as `actor` whatever the examiner's name. */
  osAccount: z.string(),
  /** Where the examiner name of this process comes from (a CLI flag or FACET_EXAMINER overrides the setting). */
  examinerSource: z.enum(['settings', 'override', 'none']),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const settingsCalls = {
  'settings.get': { input: z.object({}).strict(), output: SettingsSchema },
  'settings.set': { input: z.object({ examiner: ExaminerName.nullable() }).strict(), output: SettingsSchema },
} as const;
