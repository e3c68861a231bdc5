#!/usr/bin/env node
/** `facet`: the command line over the same services and API contract as the desktop app. */
import { evalCommand } from './commands/eval';
import { runCli } from './main';

// The sampling engine (RunExecutor) for `facet verify` is wired here once the inference engine provides one.
const argv = process.argv.slice(2);
(argv[0] === 'eval' ? evalCommand(argv.slice(1)) : runCli(argv, { executor: null })).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`facet: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
