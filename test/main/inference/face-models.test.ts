/**
 * Face models run in the inference worker, not in the process that orchestrates: main never opens an ORT session
 * for them (counted through a wrapped onnxruntime in this test's thread), the worker's answers equal the face
 * pipeline's run in-process, and a face call does not wait for a long sampling job.
 */
import { join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';
import type * as OrtModule from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const created = vi.hoisted(() => ({ paths: [] as string[] }));
vi.mock('onnxruntime-node', async (importOriginal) => {
  const ort = await importOriginal<typeof OrtModule>();
  const create = ort.InferenceSession.create.bind(ort.InferenceSession) as (
    ...a: unknown[]
  ) => Promise<unknown>;
  return {
    ...ort,
    InferenceSession: {
      ...ort.InferenceSession,
      create: (...a: unknown[]) => {
        created.paths.push(typeof a[0] === 'string' ? a[0] : '(bytes)');
        return create(...a);
      },
    },
  };
});

import { callOrThrow } from '../../../src/main/api/router';
import { composeApp, type App } from '../../../src/main/compose';
import { FacePipeline } from '../../../src/main/face/pipeline';
import { decodeImageFile } from '../../../src/main/imaging/decode';
import { InferenceEngine } from '../../../src/main/inference/engine';
import { WorkerFaceModels } from '../../../src/main/inference/face-models';
import { tempDir } from '../../helpers/temp-dir';
import { testModel } from './fixtures';

const repo = resolve(import.meta.dirname, '../../..');
const shared = process.env.FACET_SHARED_DIR ?? resolve(repo, '../shared');
const faceDir = join(repo, 'models/face');
const STILL = join(shared, 'data/demo/lowquality/whole/04.jpg');

const tmp = tempDir();
const engine = new InferenceEngine();
let faces: WorkerFaceModels;
beforeAll(async () => {
  faces = await WorkerFaceModels.open(engine, faceDir);
}, 60_000);
afterAll(async () => {
  await engine.close();
  tmp.remove();
});

describe('face models in the inference worker', () => {
  it('the app detects and aligns with no face-model ORT session in the main process', async () => {
    created.paths.length = 0;
    const app: App = composeApp({ dataDir: join(tmp.path, 'data'), actor: 'tester' });
    try {
      app.paths.allowFile(STILL);
      const c = await callOrThrow(app.router, 'cases.create', { name: 'worker faces' });
      const { evidence } = await callOrThrow(app.router, 'evidence.import', {
        caseId: c.id,
        path: STILL,
        role: 'probe',
      });
      const found = await callOrThrow(app.router, 'faces.detect', { caseId: c.id, evidenceId: evidence.id });
      expect(found.faces).toHaveLength(1);
      const { face } = await callOrThrow(app.router, 'faces.align', {
        caseId: c.id,
        evidenceId: evidence.id,
        method: 'manual',
        points: found.faces[0]!.landmarks.slice(0, 2),
        refine: true,
      });
      expect(face.points).toHaveLength(5);
    } finally {
      app.close();
    }
    // The face models were opened in the worker, whose onnxruntime this test does not wrap.
    expect(created.paths).toEqual([]);
  }, 60_000);

  it('gives the in-process pipeline’s detections, landmarks and embeddings, from a worker thread', async () => {
    const image = (await decodeImageFile(STILL)).image;
    created.paths.length = 0;
    const local = await FacePipeline.load(faceDir);
    // The wrapped onnxruntime does see sessions opened in this thread (so the count above can fail).
    expect(created.paths.map((p) => p.split('/').at(-1)).sort()).toEqual([
      'blazeface.onnx',
      'faceapi.onnx',
      'facemesh.onnx',
      'faceres.onnx',
      'mobileface.onnx',
    ]);
    created.paths.length = 0;
    try {
      const [mine] = await local.detect(image);
      const [theirs] = await faces.detect(image);
      expect(theirs).toEqual(mine);
      expect(faces.lastThreadId).toBeGreaterThan(0);
      expect(faces.lastThreadId).not.toBe(threadId);
      const [re, le] = mine!.landmarks;
      expect(await faces.landmarksFromEyes(image, re!, le!)).toEqual(
        await local.landmarksFromEyes(image, re!, le!),
      );
      const crop = local.align(image, mine!.landmarks).crop;
      expect(Array.from(await faces.embed(crop))).toEqual(Array.from(await local.embed(crop)));
      expect(Array.from(await faces.embed(crop, 'mobileface'))).toEqual(
        Array.from(await local.embed(crop, 'mobileface')),
      );
      expect(faces.manifest()).toEqual(local.manifest());
      // The LR calibrations come back from the worker with the models (none is read in this thread).
      expect(faces.lrCalibrations()).toEqual(local.lrCalibrations());
      expect(faces.manifest('mobileface').sha256).toBe(local.manifest('mobileface').sha256);
    } finally {
      await local.close();
    }
    // The worker calls opened no session here (the in-process pipeline opened its four before the count).
    expect(created.paths).toHaveLength(0);
  }, 60_000);

  it('a face call runs beside a long sampling job instead of waiting for it', async () => {
    const image = (await decodeImageFile(STILL)).image;
    const ac = new AbortController();
    let steps = 0;
    const sampling = engine.run(
      {
        kind: 'score-loop',
        model: { entry: testModel('analytic-ve'), provider: 'cpu', threads: 1 },
        batch: 1,
        steps: 1_000_000,
      },
      { signal: ac.signal, onProgress: (p) => (steps = p.step) },
    );
    await vi.waitUntil(() => steps > 0, { timeout: 20_000 });
    const found = await faces.detect(image);
    const stepsWhenDetected = steps;
    ac.abort();
    expect(found).toHaveLength(1);
    expect((await sampling).status).toBe('cancelled');
    expect(stepsWhenDetected).toBeLessThan(1_000_000);
  }, 60_000);
});
