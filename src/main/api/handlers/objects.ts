import { statSync } from 'node:fs';
import { MAX_DATA_URL_BYTES } from '../../../shared/contract';
import { FacetError } from '../../../shared/errors';
import type { CaseService } from '../../services/case-service';
import type { ObjectStore } from '../../store/object-store';
import type { Handlers } from '../router';

/** Image types a browser shows, by their leading bytes. */
const SIGNATURES: ReadonlyArray<{ type: string; test: (b: Buffer) => boolean }> = [
  {
    type: 'image/png',
    test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    type: 'image/webp',
    test: (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP',
  },
  { type: 'image/gif', test: (b) => b.toString('latin1', 0, 4) === 'GIF8' },
  { type: 'image/bmp', test: (b) => b.toString('latin1', 0, 2) === 'BM' },
];

/** The media type of stored image bytes a browser can show, or null. */
export function sniffImageType(bytes: Buffer): string | null {
  return SIGNATURES.find((s) => s.test(bytes))?.type ?? null;
}

/** `objects.dataUrl`: a stored file of a case, re-hashed on read, as a data URL (images only, size-limited). */
export function objectHandlers(cases: CaseService, store: ObjectStore): Pick<Handlers, 'objects.dataUrl'> {
  return {
    'objects.dataUrl': ({ caseId, sha256 }) => {
      cases.get(caseId);
      if (!store.has(caseId, sha256))
        throw new FacetError('not-found', `No stored file ${sha256} in this case.`);
      const size = statSync(store.pathOf(caseId, sha256)).size;
      if (size > MAX_DATA_URL_BYTES) {
        throw new FacetError(
          'invalid-input',
          `The file is ${size} bytes; data URLs are limited to ${MAX_DATA_URL_BYTES} bytes.`,
        );
      }
      const bytes = store.read(caseId, sha256);
      const mediaType = sniffImageType(bytes);
      if (!mediaType)
        throw new FacetError('invalid-input', `Stored file ${sha256} is not an image a browser can show.`);
      return {
        dataUrl: `data:${mediaType};base64,${bytes.toString('base64')}`,
        mediaType,
        sizeBytes: bytes.length,
      };
    },
  };
}
