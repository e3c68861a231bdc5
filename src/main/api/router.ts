import { calls, isChannel, type CallOutput, type Channel, type ParsedInput } from '../../shared/contract';
import { FacetError, type Result } from '../../shared/errors';
import { systemError } from './system-errors';

/** One implementation per contract call; the compiler checks that none is missing. */
export type Handlers = { [C in Channel]: (input: ParsedInput<C>) => Promise<CallOutput<C>> | CallOutput<C> };

/** A validated entry point into main: Electron IPC, the CLI and the E2E harness all call this. */
export type Router = (channel: unknown, input: unknown) => Promise<Result<unknown>>;

/** Builds the router: it rejects unknown channels and malformed payloads before any handler runs. */
export function createRouter(handlers: Handlers, onInternalError: (err: unknown) => void = () => {}): Router {
  return async (channel, input) => {
    if (!isChannel(channel)) {
      return fail('unknown-channel', `Unknown API call: ${JSON.stringify(channel)}.`);
    }
    const parsed = calls[channel].input.safeParse(input ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map(
        (i) => (i.path.length ? `${i.path.join('.')}: ` : '') + i.message,
      );
      return fail('invalid-input', `Invalid input to ${channel}: ${issues.join('; ')}`);
    }
    try {
      const handler = handlers[channel] as (input: unknown) => unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      if (err instanceof FacetError) return fail(err.code, err.message);
      const named = systemError(err);
      if (named) return fail(named.code, named.message);
      onInternalError(err);
      return fail(
        'internal',
        `Internal error in ${channel}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  };
}

function fail(code: FacetError['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

/** Calls a contract channel and unwraps the result; for in-process callers (CLI, tests). */
export async function callOrThrow<C extends Channel>(
  router: Router,
  channel: C,
  input: ParsedInput<C>,
): Promise<CallOutput<C>> {
  const result = await router(channel, input);
  if (!result.ok) throw new FacetError(result.error.code, result.error.message);
  return result.value as CallOutput<C>;
}
