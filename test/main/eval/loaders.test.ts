/** The evaluator's embedder hook opens the face pipeline's real embedders (ORT, models/face). */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cosineSimilarity } from '../../../src/core/face/calibration';
import { resize } from '../../../src/core/image/resample';
import { openEmbedder, openScoreModel } from '../../../src/main/eval/loaders';
import { decodeImageFile } from '../../../src/main/imaging/decode';

const decodeImage = async (path: string) => (await decodeImageFile(path)).image;

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

describe('openScoreModel', () => {
  it.each(['analytic-ve', 'analytic-vp'])(
    'opens the ONNX %s (manifest path) and agrees with the in-process analytic model',
    async (id) => {
      const onnx = await openScoreModel(join(repo, 'test/fixtures/models', `${id}.json`), 0.1, 1);
      const js = await openScoreModel(id, 0.1, 1);
      try {
        expect(onnx.value.info).toMatchObject({ id, trainedOnFaces: false });
        expect(onnx.value.info.sde).toEqual(js.value.info.sde);
        expect(onnx.value.info.dataRange).toBe(js.value.info.dataRange);
        const n = 2 * 3 * 128 * 128;
        let s = 99;
        const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
        const x = { data: Float32Array.from({ length: n }, () => rnd() * 2 - 1), shape: [2, 3, 128, 128] };
        const y = { data: Float32Array.from({ length: n }, rnd), shape: [2, 3, 128, 128] };
        const t = Float32Array.from([0.05, 0.7]);
        const a = await onnx.value.score(x, y, t);
        const b = await js.value.score(x, y, t);
        let worst = 0;
        for (let i = 0; i < n; i++)
          worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1e-3 + Math.abs(b[i]!)));
        // ORT computes the perturbation kernel in float32 (1 - m^2 cancels at small t for VP), the JS model in float64.
        expect(worst).toBeLessThan(1e-3);
      } finally {
        await onnx.close();
        await js.close();
      }
    },
  );

  it('refuses a model id that is not in the registry, naming the ones that are', async () => {
    await expect(openScoreModel('no-such-model', 0.1, 1)).rejects.toThrow(/Available: .*analytic-ve/);
  });
});
