import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalResultsJsonSchema } from '../../../src/core/eval/json-schema';

const committed = resolve(import.meta.dirname, '../../../training/evaluation/schema.json');

describe('schema.json of the Python evaluator', () => {
  it('equals the JSON Schema generated from the zod schema (UPDATE_EVAL_SCHEMA=1 rewrites it)', () => {
    const generated = evalResultsJsonSchema();
    if (process.env.UPDATE_EVAL_SCHEMA === '1')
      writeFileSync(committed, `${JSON.stringify(generated, null, 2)}\n`);
    expect(JSON.parse(readFileSync(committed, 'utf8'))).toEqual(generated);
  });
});
