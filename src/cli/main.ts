/** The `facet` command line, as a function (the bin wrapper in facet.ts calls it; tests call it in-process). */
import { parseArgs } from 'node:util';
import { systemError } from '../main/api/system-errors';
import { defaultDataDir } from '../main/paths';
import { composeRoot, type Root, type RunExecutor } from '../main/root';
import { FacetError } from '../shared/errors';
import { auditCommand } from './commands/audit';
import { caseArchiveCommand, casesCommand } from './commands/cases';
import { evidenceCommand } from './commands/evidence';
import { reportCommand } from './commands/report';
import { runCommand, runsCommand } from './commands/run';
import { verifyCommand } from './commands/verify';
import type { CliCommand } from './context';
import { printable } from './printable';
import { examinerFrom, SETTINGS_OPTIONS } from './settings';

export const USAGE = `usage: facet [--data-dir DIR] [--examiner NAME] [--quiet] <command>

commands:
  cases list                               list cases
  cases create <name>                      create a case
  cases rename <case> <name>               rename a case
  cases close|reopen <case>                close or reopen a case
  evidence import <case> <file> [--reference]   import a still (or a reference photo)
  evidence list <case>                     list a case's evidence
  audit verify <case> [--anchor SEQ:HASH] [--key FP]
                                           recompute the audit chain, check its signatures and triggers,
                                           re-hash every file; --anchor: prove an earlier head is unchanged
  audit log <case>                         print the audit trail
  report <case> [--run ID] --out DIR       write the PDF, HTML and manifest JSON reports
  report <case> [--run ID] --check         check (read-only) that a report could be made: the case verifies
  verify <manifest.json> [--evidence DIR]  check a report: its chain, signature and anchor against the case,
                                           the evidence files, the embedded images, and re-run its runs
  case export <case> <file.tar>            export a case as one verifiable archive
  case import <file.tar>                   import (and verify) a case archive
  run <case> <evidence> [--face N | --points x,y,... | --aligned | --lr16] [--preset P] [--candidates K] [--seed S]
                                           detect, align and enhance a face inside a case (--aligned: the
                                           still is an aligned crop; --lr16: it is the 16x16 LR face;
                                           --enhance-reference: the evidence is a reference photo, enhance it)
  runs list <case>                         list a case's runs
  runs show|rerun <case> <run>             show a run and its output hashes, or re-run it (same seed)
  enhance <still> --out DIR                detect, align and super-resolve a face (facet enhance --help)

Cases, evidence and runs are named by id, a unique prefix of it, or by name (case name, file name).
The data folder defaults to the desktop app's (FACET_DATA_DIR overrides it). --examiner NAME (or FACET_EXAMINER)
is the examiner recorded in audit events and reports beside the OS account; default: the app's settings.
--quiet leaves out the estimate and progress on stderr. Checking and listing commands
(audit, verify, report --check, cases/evidence/runs list, runs show) open it read-only and change nothing.`;

const COMMANDS: Record<string, CliCommand> = {
  cases: casesCommand,
  case: caseArchiveCommand,
  evidence: evidenceCommand,
  audit: auditCommand,
  report: reportCommand,
  verify: verifyCommand,
  run: runCommand,
  runs: runsCommand,
};

/** What a caller may replace: the sampling engine (tests pass their own and close it) and where to write. */
export interface CliDeps {
  /** Default: the composition root's inference worker. */
  readonly executor?: RunExecutor | null;
  readonly out?: (line: string) => void;
  readonly err?: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs one `facet` command line; returns the exit code (0 ok, 1 failed or not verified, 2 usage). */
export async function runCli(argv: string[], deps: CliDeps = {}): Promise<number> {
  const out = deps.out ?? ((l: string) => console.log(l));
  const err = deps.err ?? ((l: string) => console.error(l));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        reference: { type: 'boolean' },
        run: { type: 'string' },
        out: { type: 'string' },
        face: { type: 'string' },
        points: { type: 'string' },
        aligned: { type: 'boolean' },
        lr16: { type: 'boolean' },
        'enhance-reference': { type: 'boolean' },
        check: { type: 'boolean' },
        anchor: { type: 'string' },
        key: { type: 'string' },
        evidence: { type: 'string' },
        examiner: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        ...SETTINGS_OPTIONS,
      },
      allowPositionals: true,
    });
  } catch (e) {
    err(`facet: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    out(USAGE);
    return values.help ? 0 : 2;
  }
  const [group, ...args] = positionals;
  const command = COMMANDS[group!];
  if (!command) {
    err(`facet: unknown command: ${positionals.join(' ')}\n${USAGE}`);
    return 2;
  }
  // The same composition root as the desktop app: services, registry, inference worker and executor.
  let examiner: string | undefined;
  try {
    examiner = examinerFrom(values.examiner, deps.env ?? process.env);
  } catch (e) {
    err(`facet: ${errorText(e)}`);
    return 2;
  }
  let app: Root;
  try {
    app = composeRoot({
      dataDir: values['data-dir'] ?? defaultDataDir(deps.env),
      readOnly: isReadOnly(group!, args, values),
      // A command runs only the runs it queued (facet run, runs rerun); it never starts another process's.
      queue: 'own',
      executor: deps.executor,
      examiner,
    });
  } catch (e) {
    err(`facet: ${errorText(e)}`);
    return 1;
  }
  try {
    return await command({ app, args, flags: values, out, err });
  } catch (e) {
    err(`facet: ${errorText(e)}`);
    return 1;
  } finally {
    await app.closeAndWait();
  }
}

/** An error as one printable message: disk-full and permission errors named as such. */
function errorText(e: unknown): string {
  const named = e instanceof FacetError ? e : (systemError(e) ?? e);
  return printable(named instanceof Error ? named.message : String(named), { keepNewlines: true });
}

/**
 * Commands that only look: they open the database read-only, never take the queue lock and never recover or
 * append anything (a verifier must not change what it verifies).
 */
export function isReadOnly(
  group: string,
  args: readonly string[],
  flags: Readonly<Record<string, unknown>>,
): boolean {
  const sub = args[0];
  switch (group) {
    case 'audit':
    case 'verify':
      return true;
    case 'report':
      return flags.check === true;
    case 'cases':
    case 'evidence':
      return sub === 'list';
    case 'runs':
      return sub === 'list' || sub === 'show';
    default:
      return false;
  }
}
