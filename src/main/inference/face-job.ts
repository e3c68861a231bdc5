/**
 * Face jobs inside the worker: detection with landmarks, landmarks from two placed eyes, and identity embeddings,
 * on the face pipeline's ONNX sessions, which live only here (the host sends images and gets numbers back).
 */
import { threadId } from 'node:worker_threads';
import { FacetError } from '../../shared/errors';
import type { FacePipeline } from '../face/pipeline';
import type { JobContext } from './job-context';
import type { FaceAnswer, FaceCall, FaceJob, FaceJobResult } from './protocol';

/** Runs one face call on the models of `job.models`, opening them on first use. */
export async function runFaceJob(job: FaceJob, ctx: JobContext): Promise<FaceJobResult> {
  let pipe: FacePipeline;
  try {
    pipe = await ctx.faces.get(job.models);
  } catch (err) {
    throw new FacetError(
      'internal',
      `The face models in ${job.models.modelsDir} could not be loaded: ${(err as Error).message}`,
    );
  }
  const start = performance.now();
  const answer = await call(pipe, job.call);
  return { ...answer, kind: 'face', threadId, ms: performance.now() - start };
}

async function call(pipe: FacePipeline, c: FaceCall): Promise<FaceAnswer> {
  switch (c.op) {
    case 'open': {
      const names = pipe.embedderNames();
      return {
        op: 'open',
        defaultEmbedder: names[0]!,
        manifests: Object.fromEntries(names.map((n) => [n, pipe.manifest(n)])),
        lrCalibrations: Object.fromEntries(names.map((n) => [n, pipe.lrCalibrations(n)])),
      };
    }
    case 'detect':
      return {
        op: 'detect',
        faces: (await pipe.detect(c.image)).map((f) => ({
          box: { x: f.box.x, y: f.box.y, width: f.box.width, height: f.box.height },
          score: f.score,
          landmarks: f.landmarks.map((p) => ({ x: p.x, y: p.y })),
          meshScore: f.meshScore,
        })),
      };
    case 'landmarks-from-eyes': {
      const lm = await pipe.landmarksFromEyes(c.image, c.rightEye, c.leftEye);
      return { op: 'landmarks-from-eyes', points: lm.points, meshScore: lm.meshScore };
    }
    case 'embed':
      return { op: 'embed', embedding: await pipe.embed(c.crop, c.embedder) };
  }
}
