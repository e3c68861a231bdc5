/**
 * `facet run <case> <evidence>` and `facet runs list|show|rerun <case> [run]`: enhancement inside a case through the
 * same contract calls as the app (faces.detect, faces.align, runs.enqueue, runs.rerun), so the same runs service,
 * executor and audit events; with the same progress bar as `facet enhance`.
 */
import type { Root as App } from '../../main/root';
import { callOrThrow } from '../../main/api/router';
import type { Run } from '../../shared/contract';
import { TERMINAL } from '../../main/services/run-service';
import { FacetError } from '../../shared/errors';
import { printable } from '../printable';
import { rerunLine, rerunVerdict } from '../../shared/rerun';
import type { CliCommand, CliContext } from '../context';
import { alignFaceInCase } from '../face-in-case';
import { storedPaths, writeRunFiles } from '../run-files';
import { resolveCase, resolveEvidence, resolveRun } from '../resolve';
import { faceChoiceFlags, runSettingsFromFlags, type SettingsFlags } from '../settings';
import { followProgress, printEstimate, stderrProgress, type ProgressOut } from '../progress';

const RUN_USAGE =
  'usage: facet run <case> <evidence> [--face N | --points x,y,... | --aligned | --lr16] [--preset P] ' +
  '[--candidates K] [--seed S] [--model M] [--steps N] [--snr r] [--provider P] [--threads N] [--data-consistency] ' +
  '[--out DIR] [--quiet]';
const RUNS_USAGE =
  'usage: facet runs list <case> | facet runs show <case> <run> | facet runs rerun <case> <run>';

/**
 * `facet run`: aligns the chosen face of a still in the case (audited; --aligned: the still is an aligned crop,
 * --lr16: the still is the 16x16 LR face), or reuses the face the case already aligned from it the same way, then
 * queues a run, estimates it and waits for it with progress; --out DIR writes its images.
 */
export const runCommand: CliCommand = async (ctx) => {
  const { app, args, flags } = ctx;
  const [caseRef, evidenceRef] = args;
  if (!caseRef || !evidenceRef || args.length > 2) throw new FacetError('invalid-input', RUN_USAGE);
  const settings = runSettingsFromFlags(flags as SettingsFlags);
  const choice = faceChoiceFlags(
    flags as { face?: string; points?: string; aligned?: boolean; lr16?: boolean },
  );
  const c = await resolveCase(app.router, caseRef);
  const ev = await resolveEvidence(app.router, c.id, evidenceRef);
  const aligned = await alignFaceInCase(app.router, c.id, ev, choice);
  if (aligned.info.method === 'auto') {
    const { face, detected, largest } = aligned.info as { face: number; detected: number; largest: number };
    ctx.err(
      `note: face ${face} of ${detected} in ${printable(ev.originalName)}${face === largest ? ' (the largest)' : ''}`,
    );
  }
  // A reference photo is enhanced only when asked by name (the runs service refuses it otherwise, and audits it).
  const enhanceReference = (flags as { 'enhance-reference'?: boolean })['enhance-reference'] === true;
  const faces = await callOrThrow(app.router, 'faces.list', { caseId: c.id });
  const n = faces.findIndex((f) => f.id === aligned.face.id) + 1;
  ctx.err(
    aligned.reused
      ? `note: using aligned face ${n} of the case (${aligned.face.id}), already aligned from this still this way`
      : `note: aligned face ${n} of the case (${aligned.face.id})`,
  );
  const progress = stderrProgress(flags.quiet === true);
  await printEstimate(app, settings, progress);
  const run = await callOrThrow(app.router, 'runs.enqueue', {
    caseId: c.id,
    faceId: aligned.face.id,
    settings,
    ...(enhanceReference ? { enhanceReference: true } : {}),
  });
  return waitAndReport(ctx, run);
};

/** `facet runs list|show|rerun`. */
export const runsCommand: CliCommand = async (ctx) => {
  const { app, args, out } = ctx;
  const [sub, caseRef, runRef] = args;
  if (!sub || !caseRef) throw new FacetError('invalid-input', RUNS_USAGE);
  const c = await resolveCase(app.router, caseRef);
  if (sub === 'list') {
    // Numbered oldest first from 1, as the app's Runs tab numbers them.
    const runs = (await callOrThrow(app.router, 'runs.list', { caseId: c.id })).reverse();
    for (const [i, r] of runs.entries()) {
      out(
        `run ${String(i + 1).padEnd(3)}  ${r.id}  ${r.status.padEnd(11)}  ${r.settings.preset.padEnd(9)}  ${r.settings.candidates} cand.  seed ${r.seed}  ${r.queuedAt}`,
      );
    }
    return 0;
  }
  if (!runRef) throw new FacetError('invalid-input', RUNS_USAGE);
  const run = await resolveRun(app.router, c.id, runRef);
  if (sub === 'show') {
    show(out, run);
    return run.status === 'failed' ? 1 : 0;
  }
  if (sub === 'rerun') {
    const code = await waitAndReport(
      ctx,
      await callOrThrow(app.router, 'runs.rerun', { runId: run.id }),
      run,
    );
    return code;
  }
  throw new FacetError('invalid-input', RUNS_USAGE);
};

/** Prints a run and its outputs. */
function show(out: (l: string) => void, r: Run): void {
  out(`run ${r.id}  ${r.status}${r.rerunOf ? `  (re-run of ${r.rerunOf})` : ''}`);
  out(`face ${r.faceId}  model ${r.settings.modelId}  preset ${r.settings.preset}  seed ${r.seed}`);
  if (r.record) {
    const s = r.record.sampler;
    out(
      `record: model ${r.record.model.id} (${r.record.model.sha256.slice(0, 12)}), ${r.record.sde.kind} SDE, ` +
        `${s.kind} sampler, ${s.steps} steps, ${r.record.provider}, ${r.record.threads} threads`,
    );
  }
  if (r.error) out(`error: ${printable(r.error)}`);
  for (const o of r.outputs) {
    out(`${`${o.kind} ${o.index + 1}`.padEnd(13)}  file ${o.sha256}  pixels ${o.pixelsSha256}`);
  }
}

/**
 * Waits for the run with progress on stderr, then prints it and where its images are (or writes them to --out);
 * exit 1 when it failed, 130 when Ctrl-C cancelled it (the run is marked cancelled, audited, before the exit). A
 * re-run also prints its verdict against the run it repeats (`original`): identical, or the first difference.
 */
async function waitAndReport(ctx: CliContext, queued: Run, original?: Run): Promise<number> {
  const progress = stderrProgress(ctx.flags.quiet === true);
  let interrupted = false;
  // Ctrl-C cancels the run through the runs service (audited as run.cancelled) instead of killing the process
  // with the run left 'running'.
  const onSigint = (): void => {
    interrupted = true;
    ctx.err(`\nfacet: cancelling run ${queued.id}...`);
    try {
      ctx.app.runs.cancel(queued.id);
    } catch {
      /* already finished */
    }
  };
  process.on('SIGINT', onSigint);
  let run: Run;
  try {
    run = await followRun(ctx.app, queued.id, progress);
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (run.status === 'queued') {
    ctx.out(`run ${run.id}  queued: no sampling engine here; the desktop app will run it`);
    return 0;
  }
  if (run.status === 'cancelled' && interrupted) {
    ctx.err(`facet: run ${run.id} cancelled (recorded in the audit trail)`);
    return 130;
  }
  show(ctx.out, run);
  if (original && run.status === 'done') {
    // runs.list is newest first; the app numbers runs oldest first.
    const runs = (await callOrThrow(ctx.app.router, 'runs.list', { caseId: run.caseId })).reverse();
    const n = runs.findIndex((r) => r.id === original.id) + 1;
    ctx.out(rerunLine(`run ${n} (${original.id})`, rerunVerdict(original, run)));
  }
  if (run.status !== 'done')
    throw new FacetError('internal', `Run ${run.id} ${run.status}${run.error ? `: ${run.error}` : ''}.`);
  if (typeof ctx.flags.out === 'string') {
    for (const path of writeRunFiles(ctx.app, run, ctx.flags.out)) ctx.out(`wrote   ${printable(path)}`);
  } else {
    ctx.out('stored  (read-only, in the case; --out DIR writes them as files)');
    for (const line of storedPaths(ctx.app, run)) ctx.out(`stored  ${printable(line)}`);
  }
  return 0;
}

/**
 * Waits until the run is finished (done, failed, cancelled, interrupted), with its progress on stderr (unless quiet)
 * while this process runs it; returns it (still `queued` only when this process has no sampling engine).
 */
export async function followRun(app: App, runId: string, out: ProgressOut | null = null): Promise<Run> {
  const stop = followProgress(app, runId, out);
  try {
    await untilSettled(app, runId);
  } finally {
    stop();
  }
  return app.runs.get(runId);
}

/** How often a command waiting for the queue (held by another process) looks again. */
const QUEUE_POLL_MS = 200;

/**
 * Resolves when the run is finished. While another process holds the queue (another `facet run`, the desktop app),
 * this one waits for it and then claims the queue to run its own run; the app runs it itself if it holds the queue.
 */
async function untilSettled(app: App, runId: string): Promise<void> {
  if (!app.executor) return;
  for (;;) {
    if (TERMINAL.includes(app.runs.get(runId).status)) return;
    if (app.queue.claim()) {
      await app.runs.whenIdle();
      const status = app.runs.get(runId).status;
      // Still queued after its owner went idle: nothing will start it here (a device busy elsewhere): wait on.
      if (TERMINAL.includes(status) || status === 'running') continue;
    }
    await new Promise((r) => setTimeout(r, QUEUE_POLL_MS));
  }
}
