#!/usr/bin/env node
/** `facet`: the command line over the same services and API contract as the desktop app. */
import { runCli } from './main';

// The sampling engine (RunExecutor) for `facet verify` is wired here once the inference engine provides one.
runCli(process.argv.slice(2), { executor: null }).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`facet: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
