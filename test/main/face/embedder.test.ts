import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFaceEmbedder } from '../../../src/main/face/embedder';

const models = join(resolve(import.meta.dirname, '../../..'), 'models/face');

describe('openFaceEmbedder', () => {
  it('exposes mobileface through the evaluator interface with its manifest hash', async () => {
    const { value, close } = await openFaceEmbedder(models, 'mobileface');
    try {
      expect(value.info.faceRecognition).toBe(true);
      expect(value.info.sha256).toMatch(/^[0-9a-f]{64}$/);
      const grey = { width: 128, height: 128, data: new Float32Array(128 * 128 * 3).fill(0.5) };
      const ramp = { ...grey, data: grey.data.map((_, i) => (i % 384) / 384) };
      const [a, b] = await value.embed([grey, ramp]);
      expect(a!.length).toBe(256);
      expect(Array.from(a!)).not.toEqual(Array.from(b!));
    } finally {
      await close();
    }
    await expect(openFaceEmbedder(models, 'vgg' as never)).rejects.toThrow(/unknown face embedder/);
  });
});
