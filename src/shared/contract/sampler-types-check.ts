/** Compile-time check that the contract's run schemas describe exactly the core's sampler types. */
import type { z } from 'zod';
import type { SamplerConfigSchema, SdeConfigSchema } from './run-params';
import type { SamplerConfig, SdeConfig } from '../../core/sampling/api';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const sdeSchemaMatches: Same<z.output<typeof SdeConfigSchema>, SdeConfig> = true;
export const samplerSchemaMatches: Same<z.output<typeof SamplerConfigSchema>, SamplerConfig> = true;
