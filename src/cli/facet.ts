#!/usr/bin/env node
/** `facet`: the command line over the same services and API contract as the desktop app. */
import { enhanceCommand } from './commands/enhance';
import { evalCommand } from './commands/eval';
import { runCli } from './main';

const argv = process.argv.slice(2);
// `enhance` and `eval` parse their own flags (they need no case database); every other command goes through runCli.
const run = (): Promise<number> => {
  if (argv[0] === 'enhance') return enhanceCommand(argv.slice(1));
  if (argv[0] === 'eval') return evalCommand(argv.slice(1));
  return runCli(argv);
};
run().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`facet: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
