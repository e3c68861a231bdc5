import { z } from 'zod';

/**
 * Native file dialogs. Main shows them and adds what the user picked to the path policy, so the renderer
 * only ever names files the user chose; an empty answer means the user cancelled.
 */
export const dialogCalls = {
  'dialogs.openImages': {
    input: z.object({ title: z.string().max(200), multiple: z.boolean().default(true) }).strict(),
    output: z.object({ paths: z.array(z.string()) }),
  },
  'dialogs.chooseFolder': {
    input: z.object({ title: z.string().max(200) }).strict(),
    output: z.object({ path: z.string().nullable() }),
  },
} as const;
