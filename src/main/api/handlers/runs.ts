import type { RunService } from '../../services/run-service';
import type { Handlers } from '../router';

/** The contract's run (job queue) calls. */
export function runHandlers(
  runs: RunService,
): Pick<
  Handlers,
  'runs.plan' | 'runs.list' | 'runs.get' | 'runs.enqueue' | 'runs.sweep' | 'runs.cancel' | 'runs.rerun'
> {
  return {
    'runs.plan': (input) => runs.plan(input.settings),
    'runs.list': (input) => runs.list(input.caseId),
    'runs.get': (input) => runs.get(input.runId),
    'runs.enqueue': (input) => runs.enqueue(input),
    'runs.sweep': (input) => runs.sweep(input),
    'runs.cancel': (input) => runs.cancel(input.runId),
    'runs.rerun': (input) => runs.rerun(input.runId),
  };
}
