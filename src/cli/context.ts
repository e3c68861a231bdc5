import type { Root } from '../main/root';

/** What a CLI command gets: the composed app, its arguments and where to write. */
export interface CliContext {
  readonly app: Root;
  readonly args: readonly string[];
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** A subcommand: returns the process exit code. */
export type CliCommand = (ctx: CliContext) => Promise<number> | number;
