/** The score models and execution providers a run can use, and the measured cost of one network evaluation. */
import { z } from 'zod';
import { PresetName, ProviderName } from './run-params';

/** One usable score model (C3 manifest fields the run dialog shows). */
export const ModelInfoSchema = z.object({
  id: z.string(),
  sde: z.enum(['ve', 'vp', 'subvp']),
  dataRange: z.tuple([z.number(), z.number()]),
  params: z.number(),
  flops: z.number(),
  /** True when the manifest says the network has seen training images (images_seen > 0). */
  trainedOnFaces: z.boolean(),
  licence: z.string(),
  /** An analytic or fixture model for tests and demos: its output is not a face reconstruction. */
  testOnly: z.boolean(),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

/** A measured cost: median ms per network evaluation (NFE) of one batch on one provider. */
export const NfeCostSchema = z.object({
  modelId: z.string(),
  provider: ProviderName,
  /** Images per network evaluation (the run's candidates). */
  batch: z.number().int().positive(),
  msPerNfe: z.number().nonnegative(),
  /** Where the number comes from: wall time of finished runs, or a benchmark of forwards in the worker. */
  source: z.enum(['runs', 'benchmark']),
  /** How many runs (or timed forwards) the median is over. */
  samples: z.number().int().positive(),
});
export type NfeCost = z.infer<typeof NfeCostSchema>;

/**
 * What a preset means, as main runs it (src/core/sampling/presets.ts): the renderer asks for these rules rather
 * than importing core, so the app and the CLI cannot disagree about a preset.
 */
export const PresetRuleSchema = z.object({
  name: PresetName,
  /** The model a run with no model chosen uses: the best of this SDE, or `best` of any. */
  modelRef: z.enum(['ve', 'vp', 'subvp', 'best']),
  /** N when the user sets none. */
  steps: z.number().int().positive(),
  /** Where the sampler stops, as a noise level on [0,1] images (the fast preset), or null (at the model's ε). */
  sigmaEnd: z.number().positive().nullable(),
});
export type PresetRule = z.infer<typeof PresetRuleSchema>;

export const ModelListSchema = z.object({
  models: z.array(ModelInfoSchema),
  /** Providers onnxruntime-node offers on this machine (CPU always first); `note` says what a choice needs. */
  providers: z.array(z.object({ name: ProviderName, note: z.string().nullable() })),
  costs: z.array(NfeCostSchema),
  /** The presets in the order the app offers them. */
  presets: z.array(PresetRuleSchema),
});
export type ModelList = z.infer<typeof ModelListSchema>;

export const modelCalls = {
  'models.list': { input: z.object({}).strict(), output: ModelListSchema },
  'models.benchmark': {
    input: z
      .object({
        modelId: z.string().min(1).max(200),
        provider: ProviderName.default('cpu'),
        batch: z.number().int().min(1).max(16).default(1),
      })
      .strict(),
    output: NfeCostSchema.extend({
      /** Why the requested provider was not used, or null. */
      providerFallback: z.string().nullable(),
    }),
  },
} as const;
