/**
 * The evaluation harness (DESIGN.md section 4): scores bicubic, the HR itself (upper bound) and every planned model
 * method on the same faces with the same seeds, and returns a results object validated against the schema.
 */
import { summariseMethod } from '../../core/eval/aggregate';
import { rank1, type GalleryEntry } from '../../core/eval/identification';
import { SEED_RULE, faceSeed, type MethodSpec, type SamplerOverrides } from '../../core/eval/protocol';
import {
  EvalResultsSchema,
  type EvalFace,
  type EvalMethod,
  type EvalModel,
  type EvalPeer,
  type EvalResults,
  type ExperimentTag,
  type FaceMetrics,
} from '../../core/eval/schema';
import { quantise8 } from '../../core/image/lr';
import { fromChw, toChw } from '../../core/image/tensor';
import type { RgbImage } from '../../core/image/types';
import { cosineSimilarity } from '../../core/metrics/stats';
import { gradientRatio } from '../../core/metrics/streak';
import type { NoiseStream, SampleRequest, SamplerConfig, ScoreFn, Tensor } from '../../core/sampling/api';
import type { PresetName } from '../../shared/contract/run-params';
import type { Embedder } from './embedders';
import type { FaceSet } from './faces';
import { rgb8Sha256 } from '../imaging/encode';

/** The science the harness needs (C2, metrics, samplers, C5 noise); `coreToolkit` wires `src/core`. */
export interface EvalToolkit {
  /** C2: the 16x16 LR of a 128x128 HR. */
  formLr(hr: RgbImage): RgbImage;
  /** C2: the conditioning y (bicubic upscale of the LR, unclamped). */
  conditioning(lr: RgbImage): RgbImage;
  psnr(sr: RgbImage, hr: RgbImage): number;
  ssim(sr: RgbImage, hr: RgbImage): number;
  /** C2 consistency of an SR image with its LR. */
  consistency(sr: RgbImage, lr: RgbImage): number;
  /** The sampler of a preset with overrides, for a model of the given SDE. */
  resolveSampler(preset: PresetName, overrides: SamplerOverrides, model: EvalModel): SamplerConfig;
  /** Runs a sampler; returns the batch in the model's data range. */
  sample(req: SampleRequest): Promise<Tensor>;
  /** C5: the noise stream of (seed, candidate). */
  noise(seed: string, candidate: number): NoiseStream;
}

/** A score model as the harness uses it. */
export interface EvalScoreModel {
  readonly info: EvalModel;
  readonly score: ScoreFn;
}

/** A peer upscaler as the harness uses it: 16x16 C2 LR in, 128x128 out (values in [0,1], unclamped allowed). */
export interface EvalPeerUpscaler {
  readonly info: EvalPeer;
  readonly label: string;
  upscale(lr: readonly RgbImage[]): Promise<RgbImage[]>;
}

/** Everything one evaluation run needs. */
export interface EvalRun {
  readonly set: FaceSet;
  readonly baseSeed: string;
  readonly models: readonly EvalScoreModel[];
  /** Peer upscalers named by the `peer` methods (absent: none). */
  readonly peers?: readonly EvalPeerUpscaler[];
  readonly embedder: Embedder;
  readonly methods: readonly MethodSpec[];
  readonly toolkit: EvalToolkit;
  /** Faces per sampler call (default 8). */
  readonly batchSize?: number;
  readonly command: string;
  readonly producer: EvalResults['producer'];
  /** Called after each method with its id and summary line. */
  readonly onMethod?: (m: EvalMethod) => void;
  /** Clock for `createdAt` and timings (tests may fix it). */
  readonly now?: () => Date;
}

interface PreparedFace {
  readonly face: EvalFace;
  readonly hr: RgbImage;
  readonly lr: RgbImage;
  readonly y: RgbImage;
  readonly hrEmbedding: Float32Array;
}

async function produce(
  spec: MethodSpec,
  faces: readonly PreparedFace[],
  run: EvalRun,
): Promise<{ outputs: RgbImage[]; nfe: number; sampler: SamplerConfig | null }> {
  if (spec.kind === 'bicubic') return { outputs: faces.map((f) => quantise8(f.y)), nfe: 0, sampler: null };
  if (spec.kind === 'hr') return { outputs: faces.map((f) => f.hr), nfe: 0, sampler: null };
  if (spec.kind === 'peer') {
    const peer = run.peers?.find((p) => p.info.id === spec.id);
    if (!peer) throw new Error(`Method ${spec.id} needs peer ${spec.id}, which is not loaded.`);
    const outputs: RgbImage[] = [];
    const batch = run.batchSize ?? 8;
    for (let i = 0; i < faces.length; i += batch) {
      const out = await peer.upscale(faces.slice(i, i + batch).map((f) => f.lr));
      for (const o of out) {
        if (o.width !== 128 || o.height !== 128)
          throw new Error(`Peer ${spec.id} returned ${o.width}x${o.height}, not 128x128.`);
        outputs.push(quantise8(o));
      }
    }
    return { outputs, nfe: 0, sampler: null };
  }
  const model = run.models.find((m) => m.info.id === spec.modelId);
  if (!model) throw new Error(`Method ${spec.id} needs model ${spec.modelId}, which is not loaded.`);
  const sampler = run.toolkit.resolveSampler(spec.preset, spec.overrides, model.info);
  const range: [number, number] = model.info.dataRange === '0,1' ? [0, 1] : [-1, 1];
  const batch = run.batchSize ?? 8;
  const outputs: RgbImage[] = [];
  let nfe = 0;
  const candidates = spec.overrides.candidates ?? 1;
  for (let i = 0; i < faces.length; i += batch) {
    const chunk = faces.slice(i, i + batch);
    let calls = 0;
    const score: ScoreFn = (x, y, t) => {
      calls++;
      return model.score(x, y, t);
    };
    // Candidate k of every face uses C5 stream (seed, k); a mean row averages the float outputs, then quantises.
    let sum: RgbImage[] = [];
    for (let k = 0; k < candidates; k++) {
      const out = await run.toolkit.sample({
        sde: model.info.sde,
        sampler,
        sampleShape: [3, 128, 128],
        y: toChw(
          chunk.map((f) => f.y),
          [0, 1],
        ),
        score,
        noise: chunk.map((f) => run.toolkit.noise(f.face.seed, k)),
      });
      const images = chunk.map((_, b) => fromChw(out, b, range));
      sum = k === 0 ? images : sum.map((s, b) => addImages(s, images[b]!));
    }
    if (i > 0 && calls !== nfe)
      throw new Error(`Method ${spec.id}: NFE changed between batches (${nfe} vs ${calls}).`);
    nfe = calls;
    for (const s of sum) outputs.push(quantise8(candidates === 1 ? s : scaleImage(s, 1 / candidates)));
  }
  return { outputs, nfe, sampler };
}

function addImages(a: RgbImage, b: RgbImage): RgbImage {
  return { ...a, data: a.data.map((v, i) => v + b.data[i]!) };
}

function scaleImage(a: RgbImage, f: number): RgbImage {
  return { ...a, data: a.data.map((v) => v * f) };
}

/** PSNR of identical images is infinite; the results record it as null. */
function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function finalTags(spec: MethodSpec, nfe: number): ExperimentTag[] {
  return spec.tags.map((t) => (t.experiment === 'nfe' ? { ...t, nfe: Math.max(1, nfe) } : t));
}

/** Runs the evaluation and returns its validated results. */
export async function evaluate(run: EvalRun): Promise<EvalResults> {
  const now = run.now ?? ((): Date => new Date());
  const { toolkit, embedder, set } = run;
  const galleryEmb = await embedder.embed(set.gallery.map((g) => g.hr));
  const gallery: GalleryEntry[] = set.gallery.map((g, i) => ({
    identity: g.identity,
    embedding: galleryEmb[i]!,
  }));
  const hrEmb = await embedder.embed(set.probes.map((p) => p.hr));
  const faces: PreparedFace[] = set.probes.map((p, index) => {
    const lr = toolkit.formLr(p.hr);
    const face: EvalFace = {
      index,
      file: p.file,
      identity: p.identity,
      sourceSha256: p.sourceSha256,
      hrSha256: rgb8Sha256(p.hr),
      lrSha256: rgb8Sha256(lr),
      seed: faceSeed(run.baseSeed, index),
    };
    return { face, hr: p.hr, lr, y: toolkit.conditioning(lr), hrEmbedding: hrEmb[index]! };
  });
  // The streak column divides each method's mean gradient ratio by the HR faces' (so HR's row is 1).
  const hrGradientMean = faces.reduce((s, f) => s + gradientRatio(f.hr), 0) / faces.length;

  const methods: EvalMethod[] = [];
  for (const spec of run.methods) {
    const t0 = now().getTime();
    const { outputs, nfe, sampler } = await produce(spec, faces, run);
    const emb = await embedder.embed(outputs);
    const perFace: FaceMetrics[] = faces.map((f, i) => {
      const sr = outputs[i]!;
      const match = rank1(emb[i]!, f.face.identity, gallery);
      return {
        face: f.face.index,
        psnr: finiteOrNull(toolkit.psnr(sr, f.hr)),
        ssim: toolkit.ssim(sr, f.hr),
        consistency: toolkit.consistency(sr, f.lr),
        cs: cosineSimilarity(emb[i]!, f.hrEmbedding),
        rank1Identity: match.identity,
        rank1Hit: match.hit,
        outputSha256: rgb8Sha256(sr),
        gradientRatio: gradientRatio(sr),
      };
    });
    const method: EvalMethod = {
      id: spec.id,
      label: spec.label,
      kind: spec.kind,
      modelId: spec.kind === 'model' ? spec.modelId : null,
      preset: spec.kind === 'model' ? spec.preset : null,
      sampler,
      nfe,
      tags: finalTags(spec, nfe),
      perFace,
      summary: summariseMethod(perFace, hrGradientMean),
      seconds: (now().getTime() - t0) / 1000,
    };
    methods.push(method);
    run.onMethod?.(method);
  }

  return EvalResultsSchema.parse({
    schemaVersion: 1,
    createdAt: now().toISOString(),
    command: run.command,
    producer: run.producer,
    protocol: {
      set: { name: set.name, manifestSha256: set.manifestSha256, frame: set.frame },
      faces: faces.map((f) => f.face),
      gallery: set.gallery.map((g) => ({ file: g.file, identity: g.identity, sourceSha256: g.sourceSha256 })),
      baseSeed: run.baseSeed,
      seedRule: SEED_RULE,
      models: run.models.map((m) => m.info),
      embedder: embedder.info,
      ...(run.peers?.length ? { peers: run.peers.map((p) => p.info) } : {}),
    },
    methods,
  } satisfies EvalResults);
}
