/**
 * What a user asks of a sampling run, and the record that reproduces its pixels (DESIGN.md C7). Shared by the
 * runs service, the inference engine, `facet enhance` (run.json) and reports.
 */
import { z } from 'zod';
import { PRESET_NAMES } from '../../core/sampling/presets';
import { SamplerConfigSchema, SdeConfigSchema, SeedString } from '../../core/sampling/schemas';

export { SamplerConfigSchema, SdeConfigSchema, SeedString };

export const PresetName = z.enum(PRESET_NAMES);
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
    /** Set on the runs of an r sweep (runs.sweep): the sweep they belong to. Planning ignores it. */
    sweepId: z.string().min(1).max(100).optional(),
  })
  .strict();
export type RunSettings = z.output<typeof RunSettingsSchema>;

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
