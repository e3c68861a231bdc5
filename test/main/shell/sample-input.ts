import type { z } from 'zod';

/** Minimal internals of a zod 4 schema, enough to walk its definition. */
interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly entries?: Record<string, string | number>;
  readonly values?: readonly unknown[];
  readonly options?: readonly z.ZodType[];
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly checks?: ReadonlyArray<{ _zod: { def: { check: string; minimum?: number; value?: number } } }>;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * A small valid value for a schema, for checking that every contract call is routed; refinements
 * (patterns, custom checks) may still reject it, in which case the test uses a hand-written sample.
 */
export function sampleInput(schema: z.ZodType): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(def.shape ?? {})) {
        const t = defOf(v).type;
        if (t !== 'optional' && t !== 'default') out[k] = sampleInput(v);
      }
      return out;
    }
    case 'string': {
      const min = def.checks?.find((c) => c._zod.def.check === 'min_length')?._zod.def.minimum ?? 1;
      return 'x'.repeat(Math.max(1, min));
    }
    case 'number':
    case 'int': {
      const min = def.checks?.find((c) => c._zod.def.check === 'greater_than')?._zod.def.value;
      return min === undefined ? 1 : Math.floor(min) + 1;
    }
    case 'boolean':
      return false;
    case 'enum':
      return Object.values(def.entries ?? {})[0];
    case 'literal':
      return def.values?.[0];
    case 'array':
      return [];
    case 'record':
      return {};
    case 'nullable':
      return null;
    case 'optional':
    case 'default':
      return undefined;
    case 'union':
      return def.options?.[0] ? sampleInput(def.options[0]) : undefined;
    case 'pipe':
      return def.in ? sampleInput(def.in) : undefined;
    default:
      return def.innerType ? sampleInput(def.innerType) : undefined;
  }
}
