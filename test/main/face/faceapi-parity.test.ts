import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameCrop } from '../../../src/core/face/framing';
import { cosineSimilarity } from '../../../src/core/metrics/stats';
import { loadCelebaSet, type LoadedFace } from '../../../src/main/eval/faces';
import { FacePipeline } from '../../../src/main/face/pipeline';

/**
 * models/face/faceapi.onnx against the descriptors of @vladmandic/face-api's own JavaScript forward pass (TF.js CPU
 * backend) on the same 20 eval/celeba faces. The descriptors were written by tools/face-eval/faceapi-parity.ts
 * (the package is not a dependency of the app; its command is in the fixture).
 */
const shared = process.env.FACET_SHARED_DIR ?? join(import.meta.dirname, '../../../../shared');
const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/faceapi-reference.json'), 'utf8'),
) as {
  reference: { file: string; descriptor: number[] }[];
};

/** Largest |onnx - js| relative to the largest |js| of a descriptor. */
const REL_TOL = 1e-4;

describe('faceapi embedder matches the package forward pass', () => {
  let pipe: FacePipeline;
  let faces: LoadedFace[];
  beforeAll(async () => {
    pipe = await FacePipeline.load(join(process.cwd(), 'models/face'));
    const set = await loadCelebaSet(join(shared, 'data/eval/celeba'), 1);
    faces = fixture.reference.map((r) => {
      const f = set.gallery.find((g) => g.file === r.file);
      if (!f) throw new Error(`fixture face ${r.file} is not in the gallery`);
      return f;
    });
  }, 120_000);
  afterAll(async () => pipe?.close());

  it(`20 faces within ${REL_TOL} relative, cosine > 0.99999`, async () => {
    expect(faces).toHaveLength(20);
    const embeddings: Float32Array[] = [];
    for (const [i, f] of faces.entries()) {
      const js = Float32Array.from(fixture.reference[i]!.descriptor);
      // The network on the fixture's input: the crop resized to 150 px without the manifest's framing.
      const onnx = await pipe.embedInput(frameCrop(f.hr, 150), 'faceapi');
      expect(onnx).toHaveLength(128);
      let maxAbs = 0;
      let maxDiff = 0;
      for (let k = 0; k < js.length; k++) {
        maxAbs = Math.max(maxAbs, Math.abs(js[k]!));
        maxDiff = Math.max(maxDiff, Math.abs(js[k]! - onnx[k]!));
      }
      expect(maxDiff / maxAbs).toBeLessThan(REL_TOL);
      expect(cosineSimilarity(js, onnx)).toBeGreaterThan(0.99999);
      embeddings.push(onnx);
    }
    // The faces are different people: the descriptors must not collapse onto one vector.
    expect(cosineSimilarity(embeddings[0]!, embeddings[1]!)).toBeLessThan(0.99);
  }, 120_000);
});
