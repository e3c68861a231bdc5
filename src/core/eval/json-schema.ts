/** The results schema as JSON Schema (draft 2020-12), for the Python evaluator's validator. */
import { z } from 'zod';
import { EvalResultsSchema } from './schema';

/**
 * JSON Schema of the results file. Cross-field rules (unique method ids, every method scoring every face, known
 * model ids) are not expressible here; the Python evaluator checks them in code, like the zod refinement does.
 */
export function evalResultsJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(EvalResultsSchema, { io: 'output', unrepresentable: 'throw' }) as Record<
    string,
    unknown
  >;
}
