import { summariseMethod } from '../../../src/core/eval/aggregate';
import type { EvalMethod, EvalResults, FaceMetrics } from '../../../src/core/eval/schema';

const H = (c: string): string => c.repeat(64);

/** A small, valid results object with `n` faces and per-face metrics drawn from `f(method, face)`. */
export function fakeResults(n: number, trained = false): EvalResults {
  const faces = Array.from({ length: n }, (_, i) => ({
    index: i,
    file: `${String(i).padStart(6, '0')}.jpg`,
    identity: `celeb_${i}`,
    sourceSha256: H('a'),
    hrSha256: H('b'),
    lrSha256: H('c'),
    seed: String(i + 7),
  }));
  // Streak check: per-face gradient ratios; the HR row (base 90) is the reference of the streak column.
  const ratio = (face: number, base: number): number => 1 + 0.1 * face + 0.01 * base;
  const hrRatioMean = faces.reduce((s, f) => s + ratio(f.index, 90), 0) / n;
  const method = (
    id: string,
    kind: EvalMethod['kind'],
    tags: EvalMethod['tags'],
    base: number,
  ): EvalMethod => {
    const perFace: FaceMetrics[] = faces.map((f) => ({
      face: f.index,
      psnr: base + f.index,
      ssim: 0.5 + 0.01 * f.index,
      consistency: 1 / (1 + f.index),
      cs: Math.min(1, 0.6 + 0.02 * f.index + 0.001 * base),
      rank1Identity: f.index % 2 ? f.identity : 'celeb_x',
      rank1Hit: f.index % 2 === 1,
      outputSha256: H('d'),
      gradientRatio: ratio(f.index, base),
    }));
    return {
      id,
      label: id,
      kind,
      modelId: kind === 'model' ? 'tiny' : null,
      preset: kind === 'model' ? 'sde-vecs' : null,
      sampler: null,
      nfe: kind === 'model' ? 10 : 0,
      tags,
      perFace,
      summary: summariseMethod(perFace, hrRatioMean),
      seconds: 0.5,
    };
  };
  return {
    schemaVersion: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    command: 'facet eval --faces 3',
    producer: { implementation: 'typescript', version: '0.1.0', runtime: 'node', device: 'cpu' },
    protocol: {
      set: { name: 'eval/celeba', manifestSha256: H('e'), frame: 'fixed crop' },
      faces,
      gallery: faces.map((f) => ({ file: `g${f.file}`, identity: f.identity, sourceSha256: H('f') })),
      baseSeed: '7',
      seedRule: 'seed + i',
      models: [
        {
          id: 'tiny',
          sha256: H('0'),
          sde: { kind: 've', sigmaMin: 0.01, sigmaMax: 348 },
          dataRange: '0,1',
          trainedOnFaces: trained,
          note: 'analytic Gaussian score',
        },
      ],
      embedder: { id: 'pixels', sha256: H('1'), faceRecognition: false, note: 'downsampled pixels' },
    },
    methods: [
      method('bicubic', 'bicubic', [{ experiment: 'table' }], 20),
      method('hr', 'hr', [{ experiment: 'table' }], 90),
      method(
        'tiny/sde-vecs[r=0.1]',
        'model',
        [{ experiment: 'table' }, { experiment: 'r-sweep', r: 0.1 }],
        22,
      ),
      method('tiny/sde-vecs[r=0.3]', 'model', [{ experiment: 'r-sweep', r: 0.3 }], 23),
      method('tiny/fast[N=5]', 'model', [{ experiment: 'nfe', family: 'fast', nfe: 9 }], 21),
      method('tiny/sde-ve[N=20]', 'model', [{ experiment: 'nfe', family: 'pc', nfe: 20 }], 22.5),
    ],
  };
}
