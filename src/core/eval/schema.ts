/**
 * The results JSON of an evaluation run (DESIGN.md section 4). Both evaluators write it: `facet eval` (TypeScript,
 * onnxruntime-node, CPU-sized runs) and `training/evaluation` (Python, GPU-sized runs); `schema.json` beside the
 * Python evaluator is generated from this file (`facet eval schema`) and a test keeps the two equal.
 */
import { z } from 'zod';
import { SamplerConfigSchema, SdeConfigSchema, SeedString } from '../sampling/schemas';

/** Version of this schema; bump on any incompatible change. */
export const EVAL_SCHEMA_VERSION = 1;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'A SHA-256 is 64 lowercase hex digits.');

/**
 * Mean and standard deviation over faces (sample std, n - 1) with the count of finite values they cover; null
 * when no value is finite (e.g. the PSNR of the HR against itself).
 */
export const MeanStdSchema = z.object({
  mean: z.number().nullable(),
  std: z.number().nonnegative().nullable(),
  n: z.number().int().nonnegative(),
});
export type MeanStd = z.output<typeof MeanStdSchema>;

/** One face of the run: the probe photo, its identity and the gallery photo of the same identity. */
export const EvalFaceSchema = z.object({
  /** Index in the face list; the face's seed derives from it (see `protocol.seedRule`). */
  index: z.number().int().nonnegative(),
  file: z.string().min(1),
  identity: z.string().min(1),
  /** SHA-256 of the source file as stored in the data set. */
  sourceSha256: Sha256,
  /** SHA-256 of the canonical 128x128 HR crop (8-bit RGB, row-major HWC), so both evaluators can check the crop. */
  hrSha256: Sha256,
  /** SHA-256 of the 16x16 C2 LR (8-bit RGB, HWC). */
  lrSha256: Sha256,
  /** Seed of this face's sampling runs (candidate 0 of C5). */
  seed: SeedString,
});
export type EvalFace = z.output<typeof EvalFaceSchema>;

/** A score model used by the run; `trainedOnFaces: false` marks test models whose numbers are not the method's. */
export const EvalModelSchema = z.object({
  id: z.string().min(1),
  sha256: Sha256,
  sde: SdeConfigSchema,
  dataRange: z.enum(['0,1', '-1,1']),
  trainedOnFaces: z.boolean(),
  note: z.string(),
});
export type EvalModel = z.output<typeof EvalModelSchema>;

/** The identity embedder used for CS and identification. */
export const EvalEmbedderSchema = z.object({
  id: z.string().min(1),
  sha256: Sha256,
  /** False for test embedders that are not face-recognition networks. */
  faceRecognition: z.boolean(),
  note: z.string(),
});

/** A peer upscaler (not this project's model): where its weights come from, so the row can be reproduced. */
export const EvalPeerSchema = z.object({
  /** The method id of its row. */
  id: z.string().min(1),
  /** npm package and version the weights are loaded from (from disk; no network at run time). */
  package: z.string().min(1),
  version: z.string().min(1),
  /** SHA-256 over the model's files (model.json, then every weight shard in manifest order). */
  sha256: Sha256,
  note: z.string(),
});
export type EvalPeer = z.output<typeof EvalPeerSchema>;

/** Metrics of one method on one face. Consistency (C2) is on the 0-255 scale; CS is Eq. 13 for one face. */
export const FaceMetricsSchema = z.object({
  face: z.number().int().nonnegative(),
  /** Null when SR equals HR (infinite PSNR). */
  psnr: z.number().nullable(),
  ssim: z.number(),
  consistency: z.number().nonnegative(),
  cs: z.number().min(-1.000001).max(1.000001),
  /** Identity of the best-scoring gallery photo (rank 1). */
  rank1Identity: z.string(),
  rank1Hit: z.boolean(),
  /** SHA-256 of the SR output as 8-bit RGB HWC (after clamping to [0,1] and rounding). */
  outputSha256: Sha256,
  /**
   * Streak check (issue 27): horizontal over vertical gradient energy in the top 27 rows of the grey output
   * (`src/core/metrics/streak.ts`). Absent in results written before it existed.
   */
  gradientRatio: z.number().nonnegative().optional(),
});
export type FaceMetrics = z.output<typeof FaceMetricsSchema>;

/** Per-method summary: mean ± std per metric, rank-1 rate, and Pearson's r between per-face CS and PSNR. */
export const MethodSummarySchema = z.object({
  psnr: MeanStdSchema,
  ssim: MeanStdSchema,
  consistency: MeanStdSchema,
  cs: MeanStdSchema,
  rank1: z.number().min(0).max(1),
  /** Null when undefined (fewer than 2 faces, or a metric constant over faces). */
  pearsonCsPsnr: z.number().min(-1.000001).max(1.000001).nullable(),
  /** Mean ± std of the per-face gradient ratios (absent when the faces carry none). */
  gradientRatio: MeanStdSchema.optional(),
  /**
   * The streak column: mean gradient ratio of this method over the mean gradient ratio of the HR faces of the run
   * (HR: 1; well above 1: vertical streaks in the top rows, as learned padding paints). Absent in older results.
   */
  streak: z.number().nonnegative().nullable().optional(),
});
export type MethodSummary = z.output<typeof MethodSummarySchema>;

/** Which experiment a method belongs to; the figures read these tags. */
export const ExperimentTagSchema = z.discriminatedUnion('experiment', [
  z.object({ experiment: z.literal('table') }),
  /** Fig. 4: the SDE-VEcs Langevin signal-to-noise ratio r. */
  z.object({ experiment: z.literal('r-sweep'), r: z.number().positive() }),
  /** Quality against cost for one sampler family. */
  z.object({
    experiment: z.literal('nfe'),
    family: z.enum(['fast', 'pc']),
    nfe: z.number().int().positive(),
  }),
]);
export type ExperimentTag = z.output<typeof ExperimentTagSchema>;

/** One method: bicubic, the HR itself (upper bound), a model with a sampler, or a peer upscaler (no model id). */
export const EvalMethodSchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  kind: z.enum(['bicubic', 'hr', 'model', 'peer']),
  modelId: z.string().nullable(),
  preset: z.string().nullable(),
  sampler: SamplerConfigSchema.nullable(),
  /** Network evaluations per face (0 for bicubic and HR). */
  nfe: z.number().int().nonnegative(),
  tags: z.array(ExperimentTagSchema).min(1),
  perFace: z.array(FaceMetricsSchema),
  summary: MethodSummarySchema,
  /** Wall-clock seconds spent producing and scoring this method's outputs. */
  seconds: z.number().nonnegative(),
});
export type EvalMethod = z.output<typeof EvalMethodSchema>;

/** The whole results file. */
export const EvalResultsSchema = z
  .object({
    schemaVersion: z.literal(EVAL_SCHEMA_VERSION),
    createdAt: z.string(),
    command: z.string(),
    producer: z.object({
      implementation: z.enum(['typescript', 'python']),
      version: z.string(),
      runtime: z.string(),
      device: z.string(),
    }),
    protocol: z.object({
      set: z.object({
        name: z.string().min(1),
        manifestSha256: Sha256,
        /** How the set was mapped into the canonical frame C1. */
        frame: z.string().min(1),
      }),
      faces: z.array(EvalFaceSchema).min(1),
      gallery: z.array(z.object({ file: z.string(), identity: z.string(), sourceSha256: Sha256 })).min(1),
      baseSeed: SeedString,
      seedRule: z.string(),
      models: z.array(EvalModelSchema),
      embedder: EvalEmbedderSchema,
      /** Peer upscalers scored in the run (e.g. ESRGAN-thick x8), with their package and weight hashes. */
      peers: z.array(EvalPeerSchema).optional(),
    }),
    methods: z.array(EvalMethodSchema).min(1),
  })
  .superRefine((r, ctx) => {
    const ids = new Set<string>();
    for (const m of r.methods) {
      if (ids.has(m.id)) ctx.addIssue({ code: 'custom', message: `Duplicate method id ${m.id}.` });
      ids.add(m.id);
      if (m.perFace.length !== r.protocol.faces.length) {
        ctx.addIssue({
          code: 'custom',
          message: `Method ${m.id} scores ${m.perFace.length} faces, not ${r.protocol.faces.length}.`,
        });
      }
      if (m.modelId !== null && !r.protocol.models.some((x) => x.id === m.modelId)) {
        ctx.addIssue({ code: 'custom', message: `Method ${m.id} uses unknown model ${m.modelId}.` });
      }
    }
  });
export type EvalResults = z.output<typeof EvalResultsSchema>;
