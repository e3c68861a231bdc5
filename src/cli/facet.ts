#!/usr/bin/env node
/** `facet`: the command line over the same services and API contract as the desktop app. */
import { createInferenceExecutor } from '../main/inference/executor';
import { enhanceCommand } from './commands/enhance';
import { runCli } from './main';

const argv = process.argv.slice(2);
// `enhance` parses its own flags (it needs no case database); every other command goes through runCli.
(argv[0] === 'enhance'
  ? enhanceCommand(argv.slice(1))
  : runCli(argv, { executor: createInferenceExecutor() })
).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`facet: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
