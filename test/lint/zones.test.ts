/** The ESLint zones that keep the layers apart: each forbidden import is an error, each allowed one is not. */
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: resolve(import.meta.dirname, '../..') });

/** The no-restricted-imports messages ESLint gives for one import line in a file at `path`. */
async function restricted(path: string, importLine: string): Promise<string[]> {
  const [r] = await eslint.lintText(`${importLine}\nexport const used = [x];\n`, { filePath: path });
  return r!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer zones', () => {
  it.each([
    ['src/core/sampling/x.ts', "import { x } from '../../shared/contract';"],
    ['src/core/sampling/x.ts', "import { x } from 'node:fs';"],
    ['src/shared/contract/x.ts', "import { x } from '../../main/crypto';"],
    ['src/main/inference/x.ts', "import { x } from '../services/run-service';"],
    ['src/main/inference/x.ts', "import { x } from '../db/database';"],
    ['src/main/services/x.ts', "import { x } from '../api/router';"],
    ['src/main/services/x.ts', "import { x } from '../shell/dialogs';"],
    ['src/main/db/x.ts', "import { x } from '../services/run-service';"],
    ['src/main/imaging/x.ts', "import { x } from '../inference/engine';"],
    ['src/cli/commands/x.ts', "import { x } from '../../main/db/database';"],
    ['src/renderer/src/x.ts', "import { x } from '../../main/compose';"],
    ['src/renderer/src/features/runs/x.ts', "import { x } from '../../../../core/sampling/presets';"],
    ['src/cli/commands/x.ts', "import { x } from '../../main/inference/engine';"],
    ['src/cli/x.ts', "import { x } from '../main/inference/executor';"],
  ])('%s may not %s', async (path, line) => {
    expect((await restricted(path, line)).length).toBeGreaterThan(0);
  });

  it.each([
    ['src/shared/contract/x.ts', "import { x } from '../../core/sampling/presets';"],
    ['src/main/services/x.ts', "import { x } from '../inference/run-executor';"],
    ['src/main/inference/x.ts', "import { x } from '../imaging/encode';"],
    ['src/cli/commands/x.ts', "import { x } from '../../main/api/router';"],
    ['src/cli/commands/x.ts', "import { x } from '../../main/root';"],
    ['src/renderer/src/x.ts', "import { x } from '../../shared/contract';"],
  ])('%s may %s', async (path, line) => {
    expect(await restricted(path, line)).toEqual([]);
  });
});
