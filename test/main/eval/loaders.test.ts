/** The evaluator's embedder hook opens the face pipeline's real embedders (ORT, models/face). */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cosineSimilarity } from '../../../src/core/face/calibration';
import { resize } from '../../../src/core/image/resample';
import { openEmbedder } from '../../../src/main/eval/loaders';
import { decodeImage } from '../../../src/main/face/decode';

const repo = resolve(import.meta.dirname, '../../..');
const shared = process.env.FACET_SHARED_DIR ?? resolve(repo, '../shared');
const crops = join(shared, 'data/demo/lowquality/crops');

describe('openEmbedder', () => {
  it.each([
    ['faceres', 1024],
    ['mobileface', 256],
  ])(
    'opens %s through the face pipeline (%i-D embeddings)',
    async (name, dim) => {
      const opened = await openEmbedder(name, 1);
      try {
        expect(opened.value.info).toMatchObject({ id: name, faceRecognition: true });
        expect(opened.value.info.sha256).toMatch(/^[0-9a-f]{64}$/);
        const a = resize(await decodeImage(join(crops, '0143.png')), 128, 128);
        const b = resize(await decodeImage(join(crops, '0240.png')), 128, 128);
        const [ea, ea2, eb] = await opened.value.embed([a, a, b]);
        expect(ea).toHaveLength(dim);
        expect(Array.from(ea!)).toEqual(Array.from(ea2!));
        expect(cosineSimilarity(ea!, eb!)).toBeLessThan(0.999);
      } finally {
        await opened.close();
      }
    },
    30_000,
  );

  it('names the embedders it knows when given another', async () => {
    await expect(openEmbedder('vggface', 1)).rejects.toThrow(/pixel, faceres, mobileface/);
  });
});
