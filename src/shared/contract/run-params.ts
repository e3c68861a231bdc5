/**
 * What a user asks of a sampling run, and the record that reproduces its pixels (DESIGN.md C7). Shared by the
 * runs service, the inference engine, `facet enhance` (run.json) and reports.
 */
import { z } from 'zod';

/** A run seed: an unsigned 64-bit integer as a decimal string (docs/specs/c5-noise.md). */
export const SeedString = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,19})$/, 'A seed is a whole number between 0 and 18446744073709551615.')
  .refine((s) => !/^[0-9]+$/.test(s) || BigInt(s) <= 0xffffffffffffffffn, {
    message: 'A seed is a whole number between 0 and 18446744073709551615.',
  });

export const PresetName = z.enum(['fast', 'sde-ve', 'sde-vecs', 'sde-vp', 'sde-subvp']);
export type PresetName = z.infer<typeof PresetName>;

export const ProviderName = z.enum(['cpu', 'cuda', 'dml', 'coreml']);
export type ProviderName = z.infer<typeof ProviderName>;

/** A run as the user asks for it; unset fields take the preset's values. */
export const RunSettingsSchema = z
  .object({
    modelId: z.string().min(1),
    preset: PresetName,
    steps: z.number().int().min(1).max(10_000).optional(),
    correctorSteps: z.number().int().min(0).max(10).optional(),
    snr: z.number().gt(0).max(1).optional(),
    candidates: z.number().int().min(1).max(16).default(4),
    seed: SeedString.optional(),
    provider: ProviderName.default('cpu'),
    threads: z.number().int().min(1).max(256).optional(),
    dataConsistency: z.boolean().default(false),
  })
  .strict();
export type RunSettings = z.output<typeof RunSettingsSchema>;

export const SdeConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ve'), sigmaMin: z.number().positive(), sigmaMax: z.number().positive() }),
  z.object({ kind: z.literal('vp'), betaMin: z.number().positive(), betaMax: z.number().positive() }),
  z.object({ kind: z.literal('subvp'), betaMin: z.number().positive(), betaMax: z.number().positive() }),
]);

export const SamplerConfigSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('pc'),
    predictor: z.enum(['reverse-diffusion', 'euler-maruyama', 'none']),
    corrector: z.enum(['langevin', 'none']),
    steps: z.number().int().positive(),
    correctorSteps: z.number().int().nonnegative(),
    snr: z.number().nonnegative(),
    eps: z.number().positive(),
  }),
  z.object({
    kind: z.literal('heun'),
    steps: z.number().int().positive(),
    rho: z.number().positive(),
    eps: z.number().positive(),
    churn: z.number().nonnegative(),
  }),
  z.object({
    kind: z.literal('dpm-solver'),
    steps: z.number().int().positive(),
    order: z.union([z.literal(2), z.literal(3)]),
    eps: z.number().positive(),
  }),
]);

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'A SHA-256 is 64 lowercase hex digits.');

/** C7: everything needed to regenerate a run's pixels. */
export const ReproRecordSchema = z.object({
  model: z.object({ id: z.string(), sha256: Sha256 }),
  preset: PresetName,
  sde: SdeConfigSchema,
  sampler: SamplerConfigSchema,
  seed: SeedString,
  candidates: z.number().int().positive(),
  dataConsistency: z.boolean(),
  inputCropSha256: Sha256.nullable(),
  lrSha256: Sha256,
  appVersion: z.string(),
  onnxruntimeVersion: z.string(),
  provider: ProviderName,
  threads: z.number().int().positive(),
});
export type ReproRecord = z.output<typeof ReproRecordSchema>;
