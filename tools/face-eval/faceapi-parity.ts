/**
 * Parity of models/face/faceapi.onnx with the package's own JavaScript forward pass (issue 19).
 *
 * The same 150x150 input (a C1 crop of eval/celeba resized to 150 px without the manifest's framing: this checks
 * the network, not the framing) goes through
 * `faceRecognitionNet.computeFaceDescriptor` of @vladmandic/face-api on the TF.js CPU backend and through the
 * ONNX model via the face pipeline. Prints the largest absolute difference and the smallest cosine, and writes the
 * package's descriptors to test/fixtures/faceapi-reference.json so the test suite can check the ONNX against
 * them without the package.
 *
 * The package is not a dependency of the project: unpack it in a scratch folder first, e.g.
 *   npm install --prefix /tmp/faceapi --no-save --ignore-scripts @vladmandic/face-api@1.7.15 \
 *     @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0
 *   FACET_SHARED_DIR=/work/shared npx tsx tools/face-eval/faceapi-parity.ts --prefix /tmp/faceapi [--faces 20]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { frameCrop } from '../../src/core/face/framing';
import { cosineSimilarity } from '../../src/core/metrics/stats';
import { loadCelebaSet } from '../../src/main/eval/faces';
import { FacePipeline } from '../../src/main/face/pipeline';

const repo = resolve(import.meta.dirname, '../..');
const shared = process.env.FACET_SHARED_DIR ?? resolve(repo, '../shared');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the package is loaded from a scratch folder, untyped */
async function main(): Promise<void> {
  const prefix = arg('prefix', '/tmp/faceapi');
  const count = Number(arg('faces', '20'));
  const req = createRequire(join(prefix, 'package.json'));
  const faceapi = req('@vladmandic/face-api/dist/face-api.node-wasm.js') as any;
  const tf = faceapi.tf as any;
  await tf.setBackend('cpu');
  await tf.ready();
  const modelDir = join(prefix, 'node_modules/@vladmandic/face-api/model');
  const specs = JSON.parse(
    readFileSync(join(modelDir, 'face_recognition_model-weights_manifest.json'), 'utf8'),
  );
  const bin = readFileSync(join(modelDir, 'face_recognition_model.bin'));
  const weightMap = tf.io.decodeWeights(
    bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    specs.flatMap((g: any) => g.weights),
  );
  const net = faceapi.nets.faceRecognitionNet;
  net.loadFromWeightMap(weightMap);

  const set = await loadCelebaSet(join(shared, 'data/eval/celeba'), 1);
  const faces = set.gallery.slice(0, count);
  const pipe = await FacePipeline.load(join(repo, 'models/face'));
  const size = pipe.manifest('faceapi').input.size;
  let maxAbs = 0;
  let maxRel = 0;
  let minCos = 1;
  const reference: { file: string; descriptor: number[] }[] = [];
  for (const f of faces) {
    const input = frameCrop(f.hr, size); // the network's parity, without the manifest's framing
    const x = tf.tensor3d(
      Float32Array.from(input.data, (v) => v * 255),
      [size, size, 3],
    );
    const js = (await net.computeFaceDescriptor(x)) as Float32Array;
    x.dispose();
    const onnx = await pipe.embedInput(input, 'faceapi');
    let norm = 0;
    for (let i = 0; i < js.length; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(js[i]! - onnx[i]!));
      norm = Math.max(norm, Math.abs(js[i]!));
    }
    let diff = 0;
    for (let i = 0; i < js.length; i++) diff = Math.max(diff, Math.abs(js[i]! - onnx[i]!));
    maxRel = Math.max(maxRel, diff / norm);
    minCos = Math.min(minCos, cosineSimilarity(js, onnx));
    reference.push({ file: f.file, descriptor: Array.from(js, (v) => Number(v.toPrecision(7))) });
  }
  await pipe.close();
  const summary = {
    package: `@vladmandic/face-api ${faceapi.version?.faceapi ?? ''}`.trim(),
    tfjs: tf.version?.['tfjs-core'] ?? 'unknown',
    backend: tf.getBackend(),
    faces: faces.length,
    input: `eval/celeba gallery photos 0..${faces.length - 1} (C1 by the fixed CelebA box), resized to ${size} (Keys cubic, no framing)`,
    maxAbsDiff: maxAbs,
    maxRelDiff: maxRel,
    minCosine: minCos,
  };
  console.log(JSON.stringify(summary, null, 2));
  writeFileSync(
    join(repo, 'test/fixtures/faceapi-reference.json'),
    JSON.stringify({ ...summary, command: process.argv.slice(1).join(' '), reference }) + '\n',
  );
}
/* eslint-enable @typescript-eslint/no-explicit-any */

await main();
