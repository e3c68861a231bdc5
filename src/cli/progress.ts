/**
 * What a sampling command says on stderr while it works (`facet enhance`, `facet run`, `facet runs rerun`): an
 * estimate before the run starts, then progress with elapsed and remaining time. On a terminal one line is redrawn;
 * elsewhere (logs, pipes) a line is printed at the first step and then every few seconds. `--quiet` silences both.
 */
import { callOrThrow } from '../main/api/router';
import type { Root, RunProgress } from '../main/root';
import type { RunSettings } from '../shared/contract';
import { clock, costFor, estimateMs } from '../shared/estimate';

/** Seconds between progress lines when stderr is not a terminal. */
const LOG_EVERY_MS = 5000;

/** One line of the TTY progress bar. */
export function progressLine(p: RunProgress, width = 30): string {
  const filled = Math.round((p.step / Math.max(1, p.total)) * width);
  const eta = p.etaMs === null ? '--:--' : clock(p.etaMs);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] step ${p.step}/${p.total}  NFE ${p.nfe}  ${clock(p.elapsedMs)} elapsed  ${eta} remaining`;
}

/** Where a command writes its progress. */
export interface ProgressOut {
  readonly write: (text: string) => void;
  readonly isTTY: boolean;
}

/** stderr, or nothing when quiet. */
export function stderrProgress(quiet: boolean): ProgressOut | null {
  return quiet ? null : { write: (t) => process.stderr.write(t), isTTY: process.stderr.isTTY === true };
}

/**
 * The estimate before a run: the plan (model, sampler, network evaluations) and the time from the measured cost of
 * this model, provider and batch; without one, a short benchmark of the model in the worker times it first.
 */
export async function printEstimate(
  app: Root,
  settings: RunSettings,
  out: ProgressOut | null,
): Promise<void> {
  if (!out) return;
  const plan = await callOrThrow(app.router, 'runs.plan', { settings });
  const provider = settings.provider ?? 'cpu';
  const what =
    `${plan.preset} on ${plan.model.id}: ${plan.sampler.steps} steps` +
    `${plan.sampler.correctorSteps > 0 ? ` x ${plan.sampler.correctorSteps + 1}` : ''}, ${plan.candidates} ` +
    `candidate(s), ${plan.nfe} network evaluations`;
  out.write(`estimate: ${what}; timing the model...\n`);
  let cost = costFor(
    (await callOrThrow(app.router, 'models.list', {})).costs,
    plan.model.id,
    provider,
    plan.candidates,
  );
  if (!cost) {
    try {
      const b = await callOrThrow(app.router, 'models.benchmark', {
        modelId: plan.model.id,
        provider,
        batch: plan.candidates,
      });
      cost = b;
    } catch {
      cost = null; // no estimate is better than no run
    }
  }
  const ms = estimateMs(plan.nfe, cost?.msPerNfe ?? null);
  out.write(
    ms === null
      ? 'estimate: no measured time for this model yet; the progress line gives the remaining time\n'
      : `estimate: about ${clock(ms)} (${cost!.msPerNfe.toFixed(1)} ms per network evaluation, ` +
          `${cost!.source === 'runs' ? `median of ${cost!.samples} past run(s)` : 'timed now'})\n`,
  );
}

/** Reports one run's progress events until the returned function is called. */
export function followProgress(app: Root, runId: string, out: ProgressOut | null): () => void {
  if (!out) return () => {};
  out.write(`run ${runId}: started\n`);
  let last = -Infinity;
  let latest: RunProgress | null = null;
  const off = app.events.subscribe((name, payload) => {
    const p = payload as RunProgress & { jobId?: string };
    if (name !== 'job.progress' || p.jobId !== runId) return;
    latest = p;
    if (out.isTTY) out.write(`\r${progressLine(p)}\x1b[K`);
    else if (Date.now() - last >= LOG_EVERY_MS || p.step === p.total) {
      last = Date.now();
      out.write(`${progressLine(p)}\n`);
    }
  });
  return () => {
    off();
    if (out.isTTY && latest) out.write('\n');
  };
}
