import { randomUUID } from 'node:crypto';
import type { RgbImage } from '../../core/image/types';
import { interOcularPx } from '../../core/face/resolution';
import { nfePerBatch } from '../../core/sampling/plan';
import {
  ReproRecordSchema,
  RunSettingsSchema,
  type Run,
  type RunOutput,
  type RunPlanSummary,
  type RunSettings,
  type RunStatus,
} from '../../shared/contract';
import { FacetError } from '../../shared/errors';
import type { Db } from '../db/database';
import type { EventBus } from '../events';
import { randomSeed } from '../crypto';
import { encodePng, float32Sha256 } from '../imaging/encode';
import type { ObjectStore } from '../store/object-store';
import type { AuditService } from './audit-service';
import type { CaseService } from './case-service';
import type { JsonValue } from './canonical-json';
import type { FaceService } from './face-service';
import type { RunExecutor, RunProgress, RunResult } from '../inference/run-executor';
import { runOutputImages } from '../inference/run-outputs';
import { StagedChange } from './staged-change';

interface RunRow {
  id: string;
  case_id: string;
  face_id: string;
  rerun_of: string | null;
  device: string;
  settings: string;
  seed: string;
  record: string | null;
  status: RunStatus;
  progress_step: number;
  progress_total: number;
  error: string | null;
  queued_at: string;
  started_at: string | null;
  finished_at: string | null;
}

interface OutputRow {
  id: string;
  run_id: string;
  kind: RunOutput['kind'];
  idx: number;
  sha256: string;
  pixels_sha256: string;
  width: number;
  height: number;
  metrics: string;
}

export const TERMINAL: readonly RunStatus[] = ['done', 'failed', 'cancelled', 'interrupted'];

/**
 * Which queued runs the queue owner starts: the desktop app runs every queued run ('all'); a CLI command runs only
 * the runs it queued itself ('own'), so that an unrelated command never starts (and, exiting, interrupts) a run
 * another process queued and waits for.
 */
export type QueueScope = 'all' | 'own';

/** How often progress is written to the database and published on the event bus. */
export interface ProgressRates {
  readonly persistEveryMs: number;
  readonly emitEveryMs: number;
}

/**
 * The persisted run queue (C7): runs are stored with their settings and seed when queued, run one at a time
 * per device through a RunExecutor, and their outputs stored by hash. Runs found `running` at start-up were
 * cut off by a crash and become `interrupted`; any run can be re-run from its record.
 */
export class RunService {
  private readonly active = new Map<string, { runId: string; abort: AbortController; done: Promise<void> }>();
  private closed = false;
  /** Which queued runs this process starts: none until it owns the queue (`serve`), then all or its own. */
  private scope: QueueScope | null = null;
  /** Runs queued by this process. */
  private readonly own = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly store: ObjectStore,
    private readonly cases: CaseService,
    private readonly faces: FaceService,
    private readonly audit: AuditService,
    private readonly events: EventBus,
    private readonly actor: string,
    private readonly executor: RunExecutor | null,
    private readonly now: () => Date = () => new Date(),
    private readonly rates: ProgressRates = { persistEveryMs: 1000, emitEveryMs: 100 },
  ) {}

  /**
   * Marks runs left `running` by a crash as `interrupted` (one audit event each); returns their ids. Only the process
   * that has just taken the queue lock calls it: a run is `running` only while its runner holds the lock.
   */
  recoverInterrupted(): string[] {
    return this.markInterrupted(null);
  }

  /** Marks the given runs (null: every run) that are still `running` as `interrupted`, in one transaction. */
  private markInterrupted(ids: readonly string[] | null): string[] {
    const t = this.now().toISOString();
    const rows = this.db
      .transaction(() => {
        const found = (
          this.db.prepare("SELECT id, case_id FROM runs WHERE status = 'running'").all() as Array<{
            id: string;
            case_id: string;
          }>
        ).filter((r) => ids === null || ids.includes(r.id));
        for (const r of found) {
          this.db
            .prepare("UPDATE runs SET status = 'interrupted', finished_at = ? WHERE id = ?")
            .run(t, r.id);
          this.audit.append({
            caseId: r.case_id,
            actor: 'system',
            action: 'run.interrupted',
            subject: r.id,
            time: t,
            payload: { reason: 'the app stopped while the run was running' },
          });
        }
        return found;
      })
      .immediate();
    for (const r of rows) this.changed(r.id, r.case_id, 'interrupted');
    return rows.map((r) => r.id);
  }

  /** A case's runs, newest first. */
  list(caseId: string): Run[] {
    this.cases.get(caseId);
    const rows = this.db
      .prepare('SELECT * FROM runs WHERE case_id = ? ORDER BY queued_at DESC, rowid DESC')
      .all(caseId) as RunRow[];
    return rows.map((r) => this.toRun(r));
  }

  /** One run with its outputs. */
  get(runId: string): Run {
    return this.toRun(this.row(runId));
  }

  /**
   * The plan a run of these settings would get, as the executor makes it when the run starts (model resolved,
   * planRun applied): what the run dialog shows. The seed is the one given, or null (drawn at queue time).
   */
  plan(input: RunSettings): RunPlanSummary {
    if (!this.executor) {
      throw new FacetError('conflict', 'No sampling engine in this process: runs cannot be planned here.');
    }
    const settings = RunSettingsSchema.parse(input);
    // Planning does not depend on the seed's value; a placeholder stands in when main will draw it.
    const plan = this.executor.plan({ ...settings, seed: settings.seed ?? '0' });
    const s = plan.sampler;
    const corrected = s.kind === 'pc' && s.corrector !== 'none';
    return {
      model: { ...plan.model, sde: plan.sde.kind },
      preset: plan.preset,
      sampler: {
        kind: s.kind,
        steps: s.steps,
        correctorSteps: corrected ? s.correctorSteps : 0,
        snr: corrected ? s.snr : null,
      },
      candidates: plan.candidates,
      nfe: nfePerBatch(s),
      seed: settings.seed ?? null,
    };
  }

  /** Queues a run of a face with the given settings; the seed is fixed now (random if not given). */
  enqueue(input: { caseId: string; faceId: string; settings: RunSettings; enhanceReference?: boolean }): Run {
    this.cases.requireOpen(input.caseId);
    const face = this.faces.get(input.faceId);
    if (face.caseId !== input.caseId)
      throw new FacetError('invalid-input', 'The face belongs to another case.');
    const ev = this.faces.evidenceOf(face.id);
    // A run enhances a face of a still; a reference photo is what its result is compared with, so enhancing one
    // must be asked for explicitly (issue 28: run 1 had super-resolved the suspect's own photo by default).
    if (ev.role === 'reference' && input.enhanceReference !== true) {
      throw new FacetError(
        'invalid-input',
        `The face is on ${ev.originalName}, a reference photo: a run enhances a face of a still. Confirm ` +
          '"enhance a reference photo" (facet run --enhance-reference) to run it anyway.',
      );
    }
    const parsed = RunSettingsSchema.parse(input.settings);
    // Unset optional fields may arrive as explicit `undefined` (IPC, zod): drop them so the record and its audit
    // payload stay canonical JSON.
    const defined = Object.fromEntries(
      Object.entries(parsed).filter(([, v]) => v !== undefined),
    ) as RunSettings;
    const settings = { ...defined, seed: parsed.seed ?? randomSeed() };
    const confirmed = ev.role === 'reference' ? 'confirmed: the input is a face of a reference photo' : null;
    return this.insert(input.caseId, input.faceId, settings, null, confirmed);
  }

  /**
   * Queues an r sweep: one SDE-VEcs run per r (sorted, distinct), all with the same face, seed, N, M and
   * candidates, and one sweep id in their settings. The seed is fixed once (random if not given).
   */
  sweep(input: {
    caseId: string;
    faceId: string;
    settings: RunSettings;
    snrs: readonly number[];
    enhanceReference?: boolean;
  }): Run[] {
    const snrs = [...new Set(input.snrs)].sort((a, b) => a - b);
    if (snrs.length < 2)
      throw new FacetError('invalid-input', 'An r sweep needs at least two different r values.');
    const bad = snrs.find((r) => !(r > 0 && r <= 1));
    if (bad !== undefined) throw new FacetError('invalid-input', `r must be in (0, 1], not ${bad}.`);
    const base = RunSettingsSchema.parse(input.settings);
    const seed = base.seed ?? randomSeed();
    const sweepId = randomUUID();
    return snrs.map((snr) =>
      this.enqueue({
        caseId: input.caseId,
        faceId: input.faceId,
        settings: { ...base, preset: 'sde-vecs', snr, seed, sweepId },
        enhanceReference: input.enhanceReference,
      }),
    );
  }

  /** Queues a new run with the same face, settings and seed as a finished (or interrupted) one. */
  rerun(runId: string): Run {
    const src = this.get(runId);
    if (!TERMINAL.includes(src.status)) {
      throw new FacetError('conflict', `Run ${runId} is ${src.status}; only a finished run can be re-run.`);
    }
    this.cases.requireOpen(src.caseId);
    // A re-run repeats what was confirmed for the original run (a reference photo's face stays one).
    const reference =
      this.faces.evidenceOf(src.faceId).role === 'reference'
        ? 're-run of a run of a reference photo (as confirmed for that run)'
        : null;
    return this.insert(src.caseId, src.faceId, { ...src.settings, seed: src.seed }, src.id, reference);
  }

  /** Cancels a queued run at once, or a running one as soon as its executor stops. */
  cancel(runId: string): Run {
    const run = this.get(runId);
    if (run.status === 'queued') {
      this.finish(run, 'cancelled', { error: null }, { reason: 'cancelled before it started' });
    } else if (run.status === 'running') {
      const a = [...this.active.values()].find((x) => x.runId === runId);
      a?.abort.abort();
    } else {
      throw new FacetError('conflict', `Run ${runId} is ${run.status}; there is nothing to cancel.`);
    }
    return this.get(runId);
  }

  /** Resolves when no run is executing and none could start (for the CLI and tests). */
  async whenIdle(): Promise<void> {
    while (this.active.size > 0) {
      await Promise.all([...this.active.values()].map((a) => a.done));
    }
  }

  /**
   * Stops taking work; the runs this process is running are aborted and (unless told not to) marked `interrupted`
   * now. Queued runs stay queued for their owner.
   */
  shutdown(opts: { markInterrupted: boolean } = { markInterrupted: true }): void {
    if (this.closed) return;
    this.closed = true;
    const running = [...this.active.values()].map((a) => a.runId);
    for (const a of this.active.values()) a.abort.abort();
    if (opts.markInterrupted && this.db.open && running.length > 0) this.markInterrupted(running);
  }

  /** This process owns the queue now: it starts the queued runs of `scope`. */
  serve(scope: QueueScope): void {
    this.scope = scope;
    this.pump();
  }

  /** Starts the oldest queued run (of this process's scope) of every device that has none running. */
  pump(): void {
    if (this.closed || !this.executor || !this.db.open || !this.scope) return;
    const queued = this.db
      .prepare("SELECT * FROM runs WHERE status = 'queued' ORDER BY queued_at, rowid")
      .all() as RunRow[];
    for (const r of queued) {
      if (this.scope === 'own' && !this.own.has(r.id)) continue;
      if (this.active.has(r.device)) continue;
      const abort = new AbortController();
      const entry = { runId: r.id, abort, done: Promise.resolve() };
      this.active.set(r.device, entry);
      entry.done = this.execute(r, abort.signal)
        .catch(() => {
          /* the database went away under a run (shutdown); nothing left to record */
        })
        .then(() => {
          this.active.delete(r.device);
          this.pump();
        });
    }
  }

  private insert(
    caseId: string,
    faceId: string,
    settings: RunSettings & { seed: string },
    rerunOf: string | null,
    /** Why a reference photo's face is the input (null for a still's face): recorded in the audit event. */
    enhanceReference: string | null,
  ): Run {
    const id = randomUUID();
    const ev = this.faces.evidenceOf(faceId);
    const face = this.faces.get(faceId);
    // What the run enhances, named in its audit event: the file, its role and the face's size in it.
    const inputFace = {
      evidenceId: ev.id,
      evidenceSha256: ev.sha256,
      role: ev.role,
      interOcularPx: Math.round(interOcularPx(face.transform) * 100) / 100,
    };
    const t = this.now().toISOString();
    this.db
      .transaction(() => {
        this.db
          .prepare(
            `INSERT INTO runs (id, case_id, face_id, rerun_of, device, settings, seed, status, queued_at, created_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
          )
          .run(
            id,
            caseId,
            faceId,
            rerunOf,
            settings.provider,
            JSON.stringify(settings),
            settings.seed,
            t,
            this.actor,
          );
        this.audit.append({
          caseId,
          actor: this.actor,
          action: rerunOf ? 'run.requeued' : 'run.queued',
          subject: id,
          time: t,
          payload: {
            faceId,
            rerunOf,
            settings: settings as unknown as JsonValue,
            input: inputFace,
            ...(enhanceReference ? { enhanceReference } : {}),
          },
        });
      })
      .immediate();
    this.own.add(id);
    this.changed(id, caseId, 'queued');
    this.pump();
    return this.get(id);
  }

  private async execute(r: RunRow, signal: AbortSignal): Promise<void> {
    const settings = JSON.parse(r.settings) as RunSettings & { seed: string };
    try {
      // Planned once, here, and audited before the run starts: the executor samples exactly this plan.
      const plan = this.executor!.plan(settings);
      this.db
        .transaction(() => {
          const t = this.now().toISOString();
          this.db.prepare("UPDATE runs SET status = 'running', started_at = ? WHERE id = ?").run(t, r.id);
          this.audit.append({
            caseId: r.case_id,
            actor: 'system',
            action: 'run.started',
            subject: r.id,
            time: t,
            payload: { device: r.device, plan: plan as unknown as JsonValue },
          });
        })
        .immediate();
      this.changed(r.id, r.case_id, 'running');
      // An 'lr16' face has no crop (null): its C7 record then has inputCropSha256 null.
      const { crop, lr } = await this.faces.images(r.face_id);
      let lastPersist = 0;
      let lastEmit = 0;
      const onProgress = (p: RunProgress): void => {
        if (this.closed) return;
        const t = Date.now();
        const last = p.step >= p.total;
        if (last || t - lastEmit >= this.rates.emitEveryMs) {
          lastEmit = t;
          this.events.emit('job.progress', { jobId: r.id, ...p });
        }
        if (last || t - lastPersist >= this.rates.persistEveryMs) {
          lastPersist = t;
          this.db
            .prepare('UPDATE runs SET progress_step = ?, progress_total = ? WHERE id = ?')
            .run(p.step, p.total, r.id);
        }
      };
      const result = await this.executor!.execute(
        { runId: r.id, settings, plan, lr, crop },
        { onProgress, signal },
      );
      if (this.closed) return;
      if (signal.aborted) throw new FacetError('cancelled', 'cancelled');
      await this.storeResult(r, settings, result, lr);
    } catch (err) {
      if (this.closed) return;
      const run = this.get(r.id);
      if (signal.aborted) {
        this.finish(run, 'cancelled', { error: null }, { reason: 'cancelled while running' });
      } else {
        const message = err instanceof Error ? err.message : String(err);
        this.finish(run, 'failed', { error: message }, { error: message });
      }
    }
  }

  private async storeResult(
    r: RunRow,
    settings: RunSettings & { seed: string },
    result: RunResult,
    lr: RgbImage,
  ): Promise<void> {
    const record = ReproRecordSchema.parse(result.record);
    if (record.seed !== settings.seed) {
      throw new Error(`The executor used seed ${record.seed}, not the run's seed ${settings.seed}.`);
    }
    if (result.candidates.length !== settings.candidates) {
      throw new Error(
        `The executor returned ${result.candidates.length} candidates, not ${settings.candidates}.`,
      );
    }
    const images = runOutputImages(result, lr);
    const stored: OutputRow[] = [];
    // Staged: outputs of a run killed before its rows commit are collected by the next writing process.
    const change = new StagedChange(this.db, this.store);
    try {
      for (const o of images) {
        const put = change.stage(r.case_id, await encodePng(o.img, { generated: o.kind !== 'bicubic' }));
        stored.push({
          id: randomUUID(),
          run_id: r.id,
          kind: o.kind,
          idx: o.index,
          sha256: put.sha256,
          pixels_sha256: float32Sha256(o.img),
          width: o.img.width,
          height: o.img.height,
          metrics: JSON.stringify(o.metrics),
        });
      }
      if (this.closed) {
        change.abandon();
        return;
      }
    } catch (err) {
      change.abandon();
      throw err;
    }
    change.commit(() => {
      const t = this.now().toISOString();
      for (const o of stored) {
        this.db
          .prepare(
            `INSERT INTO outputs (id, run_id, kind, idx, sha256, pixels_sha256, width, height, metrics)
             VALUES (@id, @run_id, @kind, @idx, @sha256, @pixels_sha256, @width, @height, @metrics)`,
          )
          .run(o);
      }
      this.db
        .prepare(
          "UPDATE runs SET status = 'done', record = ?, finished_at = ?, progress_step = progress_total WHERE id = ?",
        )
        .run(JSON.stringify(record), t, r.id);
      this.audit.append({
        caseId: r.case_id,
        actor: 'system',
        action: 'run.done',
        subject: r.id,
        time: t,
        payload: {
          record: record as unknown as JsonValue,
          outputs: stored.map((o) => ({
            id: o.id,
            width: o.width,
            height: o.height,
            kind: o.kind,
            index: o.idx,
            sha256: o.sha256,
            pixelsSha256: o.pixels_sha256,
            metrics: JSON.parse(o.metrics) as JsonValue,
          })),
        },
      });
    });
    this.changed(r.id, r.case_id, 'done');
  }

  private finish(
    run: Run,
    status: RunStatus,
    fields: { error: string | null },
    payload: Record<string, JsonValue>,
  ): void {
    this.db
      .transaction(() => {
        const t = this.now().toISOString();
        this.db
          .prepare('UPDATE runs SET status = ?, error = ?, finished_at = ? WHERE id = ?')
          .run(status, fields.error, t, run.id);
        this.audit.append({
          caseId: run.caseId,
          actor: status === 'cancelled' ? this.actor : 'system',
          action: `run.${status}`,
          subject: run.id,
          time: t,
          payload,
        });
      })
      .immediate();
    this.changed(run.id, run.caseId, status);
  }

  private changed(runId: string, caseId: string, status: RunStatus): void {
    this.events.emit('runs.changed', { runId, caseId, status });
  }

  private row(runId: string): RunRow {
    const r = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
    if (!r) throw new FacetError('not-found', `No run with id ${runId}.`);
    return r;
  }

  private toRun(r: RunRow): Run {
    const outputs = (
      this.db
        .prepare(
          "SELECT * FROM outputs WHERE run_id = ? ORDER BY CASE kind WHEN 'candidate' THEN 0 WHEN 'mean' THEN 1 WHEN 'bicubic' THEN 2 ELSE 3 END, idx",
        )
        .all(r.id) as OutputRow[]
    ).map((o) => ({
      id: o.id,
      kind: o.kind,
      index: o.idx,
      sha256: o.sha256,
      pixelsSha256: o.pixels_sha256,
      width: o.width,
      height: o.height,
      metrics: JSON.parse(o.metrics) as Record<string, number>,
    }));
    return {
      id: r.id,
      caseId: r.case_id,
      faceId: r.face_id,
      rerunOf: r.rerun_of,
      device: r.device,
      settings: RunSettingsSchema.parse(JSON.parse(r.settings)),
      seed: r.seed,
      record: r.record ? ReproRecordSchema.parse(JSON.parse(r.record)) : null,
      status: r.status,
      progress: { step: r.progress_step, total: r.progress_total },
      error: r.error,
      queuedAt: r.queued_at,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      outputs,
    };
  }
}
