/**
 * Runtime schemas of the sampling core's own types (SdeConfig, SamplerConfig, the seed), next to the types they
 * check: the API contract and the evaluation results reuse them, and the compiler checks each schema's output type
 * against the core's type here, so the two cannot drift.
 */
import { z } from 'zod';
import type { SamplerConfig, SdeConfig } from './api';

/** A run seed: an unsigned 64-bit integer as a decimal string (docs/specs/c5-noise.md). */
export const SeedString = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,19})$/, 'A seed is a whole number between 0 and 18446744073709551615.')
  .refine((s) => !/^[0-9]+$/.test(s) || BigInt(s) <= 0xffffffffffffffffn, {
    message: 'A seed is a whole number between 0 and 18446744073709551615.',
  });

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

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compile-time: the schemas describe exactly the core's types. */
export const SCHEMAS_MATCH_CORE_TYPES: [
  Same<z.output<typeof SdeConfigSchema>, SdeConfig>,
  Same<z.output<typeof SamplerConfigSchema>, SamplerConfig>,
] = [true, true];
