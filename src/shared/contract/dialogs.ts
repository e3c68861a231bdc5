import { z } from 'zod';

/** Result of a dialog: the chosen paths (now allowed by main's path policy), empty when cancelled. */
const Chosen = z.object({ paths: z.array(z.string()) });

export const dialogCalls = {
  /** Native open dialog for evidence images; the chosen files become readable by main. */
  'dialogs.openImages': {
    input: z.object({ multiple: z.boolean().default(true) }).strict(),
    output: Chosen,
  },
  /** Native open dialog for a case archive or a run manifest; the chosen file becomes readable. */
  'dialogs.openFile': {
    input: z.object({ kind: z.enum(['archive', 'manifest']) }).strict(),
    output: Chosen,
  },
  /** Native save dialog for a report or archive; the chosen path becomes writable. */
  'dialogs.saveFile': {
    input: z.object({ suggestedName: z.string().min(1).max(255) }).strict(),
    output: Chosen,
  },
} as const;
