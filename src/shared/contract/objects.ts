import { z } from 'zod';

const Id = z.string().min(1).max(100);

/** Largest stored file `objects.dataUrl` returns (the renderer shows crops, outputs and evidence stills). */
export const MAX_DATA_URL_BYTES = 16 * 1024 * 1024;

export const objectCalls = {
  /** A stored file of a case as a data URL (for the E2E harness; the app also serves facet-case://). */
  'objects.dataUrl': {
    input: z
      .object({
        caseId: Id,
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'A SHA-256 is 64 lower-case hex digits.'),
      })
      .strict(),
    output: z.object({ dataUrl: z.string(), mediaType: z.string(), sizeBytes: z.number().int() }),
  },
} as const;
