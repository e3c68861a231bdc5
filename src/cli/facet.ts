#!/usr/bin/env node
/** `facet`: the command line over the same services and API contract as the desktop app. */
import { parseArgs } from 'node:util';
import { callOrThrow } from '../main/api/router';
import { composeApp } from '../main/compose';
import { defaultDataDir } from '../main/paths';
import { FacetError } from '../shared/errors';
import { enhanceCommand } from './commands/enhance';

const USAGE = `usage: facet [--data-dir DIR] <command>

commands:
  cases list              list cases
  cases create <name>     create a case
  enhance <image> --out DIR   super-resolve a face (facet enhance --help)

The data folder defaults to the desktop app's (FACET_DATA_DIR overrides it).`;

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'enhance') return enhanceCommand(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help || positionals.length === 0) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const app = composeApp({ dataDir: values['data-dir'] ?? defaultDataDir() });
  try {
    const [group, command, ...rest] = positionals;
    if (group === 'cases' && command === 'list') {
      for (const c of await callOrThrow(app.router, 'cases.list', {})) {
        console.log(`${c.id}  ${c.status.padEnd(6)}  ${c.createdAt}  ${c.name}`);
      }
      return 0;
    }
    if (group === 'cases' && command === 'create') {
      const c = await callOrThrow(app.router, 'cases.create', { name: rest.join(' ') });
      console.log(c.id);
      return 0;
    }
    throw new FacetError('invalid-input', `Unknown command: ${positionals.join(' ')}\n${USAGE}`);
  } finally {
    app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`facet: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
