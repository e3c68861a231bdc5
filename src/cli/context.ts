import type { App } from '../main/compose';
import type { RunExecutor } from '../main/inference/run-executor';

/** What a CLI command gets: the composed app, its arguments and where to write. */
export interface CliContext {
  readonly app: App;
  readonly args: readonly string[];
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly executor: RunExecutor | null;
}

/** A subcommand: returns the process exit code. */
export type CliCommand = (ctx: CliContext) => Promise<number> | number;
