/**
 * Peer upscalers for `facet eval` (issue 27): general-purpose super-resolution networks scored on the same 16x16 C2
 * LR as bicubic and the model rows, so the table shows where a face prior stands against a strong generic upscaler.
 *
 * `esrgan-thick`: the x8 RRDN of the npm package `@upscalerjs/esrgan-thick` (idealo ISR "rrdn-C4-D3-G32-G064-T10-x8",
 * trained on DIV2K, MIT licence), run with TensorFlow.js on its WebAssembly backend (XNNPACK, single thread, SIMD:
 * about 20 times the speed of the pure-JavaScript CPU backend; same output range to 1e-6 on a test input). The three
 * packages are devDependencies: the app does not ship them, and `facet eval` loads them only when a peer row is asked
 * for. The weights are read from the package's files on disk (model.json and its shards, through `tf.io.fromMemory`); nothing
 * is fetched at run time. The model takes and returns RGB in [0,1] (the package's `inputRange`/`outputRange` for
 * its RRDN models); the harness clamps and rounds its output to 8 bits like every other method.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import type { RgbImage } from '../../core/image/types';
import { FacetError } from '../../shared/errors';
import type { EvalPeerUpscaler } from './evaluator';
import type { Opened } from './loaders';

/** Peers `facet eval --peer` knows. */
export const PEER_NAMES = ['esrgan-thick'] as const;
export type PeerName = (typeof PEER_NAMES)[number];

const ESRGAN_THICK = {
  id: 'esrgan-thick-x8',
  label: 'ESRGAN-thick x8 (general upscaler)',
  package: '@upscalerjs/esrgan-thick',
  modelDir: 'models/x8',
  scale: 8,
} as const;

// Specifiers kept in variables so that the CLI bundle leaves them to Node at run time (they are devDependencies).
const TFJS = '@tensorflow/tfjs';
const TFJS_WASM = '@tensorflow/tfjs-backend-wasm';
const NEEDED = [ESRGAN_THICK.package, TFJS, TFJS_WASM];

/** The root folder of an installed package, or null when it is not installed. */
export function packageRoot(name: string): string | null {
  const bases = [import.meta.url, join(process.cwd(), 'package.json')];
  for (const base of bases) {
    let entry: string;
    try {
      entry = createRequire(base).resolve(name);
    } catch {
      continue;
    }
    for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
      const pkg = join(dir, 'package.json');
      if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === name)
        return dir;
    }
  }
  return null;
}

/** True when the packages a peer needs are installed (so `facet eval` can include its row by default). */
export function peerAvailable(name: PeerName): boolean {
  if (name !== 'esrgan-thick') return false;
  return NEEDED.every((p) => packageRoot(p) !== null);
}

interface LoadedFiles {
  readonly topology: Tf.io.ModelJSON['modelTopology'];
  readonly weightSpecs: Tf.io.WeightsManifestEntry[];
  readonly weightData: ArrayBuffer;
  readonly sha256: string;
  readonly version: string;
}

/** model.json and its shards in manifest order, concatenated, with one SHA-256 over all the bytes read. */
function readModelFiles(root: string, modelDir: string): LoadedFiles {
  const dir = join(root, modelDir);
  const jsonBytes = readFileSync(join(dir, 'model.json'));
  const spec = JSON.parse(jsonBytes.toString('utf8')) as Tf.io.ModelJSON;
  const hash = createHash('sha256').update(jsonBytes);
  const weightSpecs: Tf.io.WeightsManifestEntry[] = [];
  const shards: Buffer[] = [];
  for (const group of spec.weightsManifest ?? []) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) {
      const b = readFileSync(join(dir, p));
      hash.update(b);
      shards.push(b);
    }
  }
  const all = Buffer.concat(shards);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
    .version;
  return { topology: spec.modelTopology, weightSpecs, weightData, sha256: hash.digest('hex'), version };
}

/**
 * The two custom Keras layers of the package's RRDN models, as its `setup(tf)` registers them
 * (`dist/*\/packages/shared/src/esrgan/esrgan.js`): residual scaling by 0.2 and the x`scale` pixel shuffle.
 */
function registerRrdnLayers(tf: typeof Tf, scale: number): void {
  const input = (x: Tf.Tensor | Tf.Tensor[]): Tf.Tensor => (Array.isArray(x) ? x[0]! : x);
  class MultiplyBeta extends tf.layers.Layer {
    static className = 'MultiplyBeta';
    constructor() {
      super({});
    }
    override call(inputs: Tf.Tensor | Tf.Tensor[]): Tf.Tensor {
      return tf.mul(input(inputs), 0.2);
    }
  }
  class PixelShuffle extends tf.layers.Layer {
    static className = `PixelShuffle${scale}x`;
    constructor() {
      super({});
    }
    override computeOutputShape(shape: Tf.Shape | Tf.Shape[]): Tf.Shape {
      const s = (Array.isArray(shape[0]) ? shape[0] : shape) as Tf.Shape;
      return [s[0]!, s[1] === null ? null : s[1]! * scale, s[2] === null ? null : s[2]! * scale, 3];
    }
    override call(inputs: Tf.Tensor | Tf.Tensor[]): Tf.Tensor {
      return tf.depthToSpace(input(inputs) as Tf.Tensor4D, scale, 'NHWC');
    }
  }
  tf.serialization.registerClass(MultiplyBeta);
  tf.serialization.registerClass(PixelShuffle);
}

/** Opens a peer upscaler; a clear error when its packages are not installed. */
export async function openPeer(name: string): Promise<Opened<EvalPeerUpscaler>> {
  if (name !== 'esrgan-thick')
    throw new FacetError('invalid-input', `Unknown peer ${name}; known: ${PEER_NAMES.join(', ')}.`);
  const missing = NEEDED.filter((p) => packageRoot(p) === null);
  const root = packageRoot(ESRGAN_THICK.package);
  if (missing.length > 0 || root === null) {
    throw new FacetError(
      'invalid-input',
      `The peer esrgan-thick needs the devDependencies ${NEEDED.join(', ')}; missing: ${missing.join(', ')} ` +
        `(npm ci in a source checkout installs them). Run with --peer none to leave the peer row out.`,
    );
  }
  const tf = (await import(/* @vite-ignore */ TFJS)) as typeof Tf;
  await import(/* @vite-ignore */ TFJS_WASM);
  if (!(await tf.setBackend('wasm')))
    throw new Error('esrgan-thick: the TensorFlow.js wasm backend did not start.');
  await tf.ready();
  registerRrdnLayers(tf, ESRGAN_THICK.scale);
  const files = readModelFiles(root, ESRGAN_THICK.modelDir);
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: files.topology,
      weightSpecs: files.weightSpecs,
      weightData: files.weightData,
    }),
  );
  const upscale = async (lr: readonly RgbImage[]): Promise<RgbImage[]> => {
    if (lr.length === 0) return [];
    const { width: w, height: h } = lr[0]!;
    const data = new Float32Array(lr.length * w * h * 3);
    lr.forEach((img, b) => {
      if (img.width !== w || img.height !== h) throw new Error('esrgan-thick: LR images differ in size.');
      data.set(img.data, b * w * h * 3);
    });
    const x = tf.tensor4d(data, [lr.length, h, w, 3]);
    const y = model.predict(x) as Tf.Tensor4D;
    const out = (await y.data()) as Float32Array;
    x.dispose();
    y.dispose();
    const [, oh, ow] = y.shape;
    const n = oh * ow * 3;
    return lr.map((_, b) => ({ width: ow, height: oh, data: out.slice(b * n, (b + 1) * n) }));
  };
  return {
    value: {
      info: {
        id: ESRGAN_THICK.id,
        package: ESRGAN_THICK.package,
        version: files.version,
        sha256: files.sha256,
        note:
          'general-purpose x8 RRDN (idealo ISR, DIV2K), not trained on faces; TensorFlow.js ' +
          `${tf.version.tfjs} wasm backend, input and output RGB in [0,1]`,
      },
      label: ESRGAN_THICK.label,
      upscale,
    },
    close: async () => {
      model.dispose();
    },
  };
}
