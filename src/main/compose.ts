import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { auditHandlers } from './api/handlers/audit';
import { caseHandlers } from './api/handlers/cases';
import { dialogHandlers } from './api/handlers/dialogs';
import { evidenceHandlers } from './api/handlers/evidence';
import { faceHandlers } from './api/handlers/faces';
import { modelHandlers } from './api/handlers/models';
import { objectHandlers } from './api/handlers/objects';
import { reportHandlers } from './api/handlers/reports';
import { runHandlers } from './api/handlers/runs';
import { settingsHandlers } from './api/handlers/settings';
import { createRouter, type Handlers, type Router } from './api/router';
import { openDatabase, openDatabaseReadOnly, type Db } from './db/database';
import { EventBus } from './events';
import { InferenceEngine } from './inference/engine';
import { WorkerFaceModels } from './inference/face-models';
import { repoRoot } from './inference/paths';
import { availableProviders } from './inference/providers';
import { defaultModelDirs, ModelRegistry } from './inference/registry';
import { manifestProvenance } from './inference/provenance';
import { AuditService } from './services/audit-service';
import { CaseArchiveService } from './services/case-archive-service';
import { CaseService } from './services/case-service';
import { DEFAULT_LIMITS, EvidenceService, type EvidenceLimits } from './services/evidence-service';
import { FaceAnalysisService, LazyFaceModels, type FaceModels } from './services/face-analysis-service';
import { FaceService } from './services/face-service';
import { ModelService } from './services/model-service';
import { PathPolicy } from './services/import-policy';
import { QueueLock } from './services/queue-lock';
import { ReportService, type ModelProvenance } from './services/report-service';
import type { RunExecutor } from './inference/run-executor';
import { RunService, type QueueScope } from './services/run-service';
import { SettingsService } from './services/settings-service';
import { recoverStagedFiles } from './services/staged-recovery';
import { lazySigner, loadOrCreateSigner, localPublicKeys, type SecretBox } from './signing/audit-key';
import type { FileDialogs } from './shell/dialogs';
import { ObjectStore, type StoreFs } from './store/object-store';

/** Everything main needs, built once by hand (no DI container). */
export interface App {
  readonly dataDir: string;
  readonly db: Db;
  readonly events: EventBus;
  readonly audit: AuditService;
  readonly store: ObjectStore;
  /** The files and folders the user chose; the shell's file dialogs and the CLI add to it. */
  readonly paths: PathPolicy;
  readonly cases: CaseService;
  readonly evidence: EvidenceService;
  readonly faces: FaceService;
  /** Detection, alignment and comparisons over the face models (loaded on first use). */
  readonly faceAnalysis: FaceAnalysisService;
  readonly runs: RunService;
  readonly models: ModelService;
  readonly reports: ReportService;
  readonly archive: CaseArchiveService;
  /** The examiner's name (recorded in every audit event beside the OS account). */
  readonly settings: SettingsService;
  readonly executor: RunExecutor | null;
  /** The run queue of the data folder, shared with other processes (see QueueLock). */
  readonly queue: QueueOwnership;
  readonly router: Router;
  close(): void;
}

/** This process's hold on the data folder's run queue. */
export interface QueueOwnership {
  /**
   * Takes the queue if it is free (or its owner died) and starts serving it: runs left `running` by a dead owner
   * become `interrupted`, then the queued runs of this process's scope start. Returns whether this process owns it.
   */
  claim(): boolean;
}

export interface ComposeOptions {
  /** Folder holding the database and the case folders. */
  readonly dataDir: string;
  /** Called with unexpected errors (bugs), for logging. */
  readonly onInternalError?: (err: unknown) => void;
  /** The sampling engine that runs queued runs and re-runs manifests; without one, runs stay queued. */
  readonly executor?: RunExecutor;
  /** Who is recorded as the actor of changes (default: the OS user name). */
  readonly actor?: string;
  /**
   * The examiner's name for this process (CLI `--examiner`, FACET_EXAMINER), recorded in audit events beside the
   * actor; default: the one stored in the data folder's settings (the app's settings field), if any.
   */
  readonly examiner?: string;
  /** The app version recorded in reports and archives. */
  readonly appVersion?: string;
  /** Looks up model provenance for reports. */
  readonly modelProvenance?: ModelProvenance;
  /** Limits on evidence files (tests lower them). */
  readonly evidenceLimits?: EvidenceLimits;
  /** File-system layer of the object store (tests inject failures). */
  readonly storeFs?: StoreFs;
  /** The face models folder (models/face); default: the repository's. */
  readonly faceModelsDir?: string;
  /** Loads the face models (tests may inject them); default: the face models of faceModelsDir in `inferenceEngine`. */
  readonly loadFaceModels?: () => Promise<FaceModels>;
  /**
   * The inference worker host the face models run in: the shell and the CLI pass the one that samples (the main
   * process only orchestrates). Default: one of the app's own, started on the first face call, stopped on close.
   */
  readonly inferenceEngine?: InferenceEngine;
  /** Native file dialogs (the Electron shell); without them the dialog calls answer that they are unavailable. */
  readonly dialogs?: FileDialogs;
  /** The score models offered to users; default: ModelRegistry.fromDisk() on first use. */
  readonly modelRegistry?: ModelRegistry;
  /**
   * Checking only (`audit verify`, `verify`, `report --check`, listings): the database is opened read-only, the
   * queue lock is not touched and nothing is recovered, so the data folder is left exactly as it was. Without a
   * database file, an empty in-memory one stands in (nothing is created on disk).
   */
  readonly readOnly?: boolean;
  /**
   * Read-only media: with `readOnly`, read the database into a private in-memory copy instead of opening the file,
   * so that SQLite creates no `-shm`/`-wal` beside it. Default: when the data folder cannot be written or has no
   * write permission bits.
   */
  readonly readOnlyMedia?: boolean;
  /** Seals the installation's private signing key at rest (the shell's safeStorage); default: a 0600 file. */
  readonly secretBox?: SecretBox;
  /**
   * Which queued runs this process runs once it owns the queue: 'all' (the desktop app, the default) or 'own' (a CLI
   * command: only the runs it queued; it claims the queue when it has one to run, see `App.queue`).
   */
  readonly queue?: QueueScope;
}

/** The signatures migration: the process that applies it signs the heads that exist then (audit-service.ts). */
const SIGNATURES_MIGRATION = 6;

/**
 * Wires the services and the router over one data folder. A writing process finishes or undoes the file writes of
 * a process that died mid-change; the queue owner also marks runs left `running` by a crash `interrupted` (audited).
 */
export function composeApp(options: ComposeOptions): App {
  const readOnly = options.readOnly === true;
  const dbFile = join(options.dataDir, 'facet.sqlite');
  if (!readOnly) mkdirSync(options.dataDir, { recursive: true });
  // The key is loaded (created the first time) only when something is appended, never by a read-only process.
  const keys = {
    signer: lazySigner(() => loadOrCreateSigner(options.dataDir, options.secretBox)),
    localKeys: () => localPublicKeys(options.dataDir),
  };
  const db = !readOnly
    ? openDatabase(dbFile, undefined, (d, version) => {
        if (version === SIGNATURES_MIGRATION) new AuditService(d, undefined, keys).signLegacyHeads();
      })
    : existsSync(dbFile)
      ? openDatabaseReadOnly(dbFile, undefined, {
          snapshot: options.readOnlyMedia ?? isReadOnlyFolder(options.dataDir),
        })
      : openDatabase(':memory:');
  const events = new EventBus();
  const actor = options.actor ?? osUser();
  const appVersion = options.appVersion ?? 'unknown';
  const executor = options.executor ?? null;
  const audit = new AuditService(db, undefined, readOnly ? { localKeys: keys.localKeys } : keys);
  const settings = new SettingsService(options.dataDir, audit, actor, options.examiner, readOnly, db);
  const store = new ObjectStore(options.dataDir, options.storeFs);
  const paths = new PathPolicy();
  const cases = new CaseService(db, undefined, { audit, actor });
  const evidence = new EvidenceService(
    db,
    store,
    cases,
    audit,
    paths,
    actor,
    undefined,
    options.evidenceLimits ?? DEFAULT_LIMITS,
  );
  const faces = new FaceService(db, store, cases, evidence, audit, actor);
  const runs = new RunService(db, store, cases, faces, audit, events, actor, executor);
  const reports = new ReportService(
    db,
    store,
    cases,
    evidence,
    faces,
    runs,
    audit,
    paths,
    actor,
    appVersion,
    // Default: the manifests the default registry reads (as the shell passes them), so that a report never calls a
    // shipped model "provenance unknown" because a caller left this out.
    options.modelProvenance ??
      manifestProvenance([...Object.values(defaultModelDirs()), join(repoRoot(), 'models', 'face')]),
  );
  const faceModelsDir = options.faceModelsDir ?? join(repoRoot(), 'models', 'face');
  const faceModels = new LazyFaceModels(
    options.loadFaceModels ??
      (() =>
        options.inferenceEngine
          ? WorkerFaceModels.open(options.inferenceEngine, faceModelsDir)
          : WorkerFaceModels.open(new InferenceEngine(), faceModelsDir, { ownsEngine: true })),
  );
  const faceAnalysis = new FaceAnalysisService(faceModels, store, evidence, faces, runs);
  let registry = options.modelRegistry;
  const models = new ModelService(
    db,
    () => (registry ??= ModelRegistry.fromDisk()),
    executor,
    () => availableProviders(),
  );
  const archive = new CaseArchiveService(db, store, audit, paths, actor, appVersion);

  const handlers: Handlers = {
    ...caseHandlers(cases),
    ...evidenceHandlers(evidence),
    ...faceHandlers(faces, faceAnalysis),
    ...runHandlers(runs),
    ...auditHandlers(audit, store),
    ...reportHandlers(reports, archive, paths, executor, audit, store),
    ...objectHandlers(cases, store),
    ...dialogHandlers(options.dialogs ?? null, paths),
    ...modelHandlers(models),
    ...settingsHandlers(settings),
  };

  if (!readOnly) recoverStagedFiles(db, store);
  // Only the process that owns the queue runs jobs; a read-only process never takes the lock, not even a stale one.
  // Taking it (serialized by the database's write lock) recovers the runs of a dead owner.
  const scope = options.queue ?? 'all';
  const lock = readOnly ? null : new QueueLock(options.dataDir, (fn) => db.transaction(fn).immediate());
  const queue: QueueOwnership = {
    claim: () => {
      if (lock?.owned) return true;
      if (!lock?.acquire()) return false;
      runs.recoverInterrupted();
      runs.serve(scope);
      return true;
    },
  };
  let poll: NodeJS.Timeout | null = null;
  if (scope === 'all') {
    queue.claim();
    // Picks up runs queued by other processes, and the queue itself once a CLI that held it exits.
    poll = setInterval(() => (lock?.owned ? runs.pump() : queue.claim()), 2000);
    poll.unref();
  } else if (lock?.acquire()) {
    // A CLI command recovers a dead owner's runs at once, then lets the queue go until it has a run of its own.
    runs.recoverInterrupted();
    lock.release();
  }

  return {
    dataDir: options.dataDir,
    db,
    events,
    audit,
    store,
    paths,
    cases,
    evidence,
    faces,
    faceAnalysis,
    runs,
    models,
    reports,
    archive,
    settings,
    executor,
    queue,
    router: createRouter(handlers, options.onInternalError),
    close: () => {
      if (poll) clearInterval(poll);
      runs.shutdown({ markInterrupted: true });
      db.close();
      void faceModels.close();
      lock?.release();
    },
  };
}

/**
 * A folder on read-only media or made read-only: it cannot be written, or it has no write permission bits at all
 * (root passes the access check on any local folder, but a folder stripped of its write bits says "do not write").
 */
function isReadOnlyFolder(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return true;
  }
  try {
    return (statSync(dir).mode & 0o222) === 0;
  } catch {
    return false;
  }
}

function osUser(): string {
  try {
    return userInfo().username || 'examiner';
  } catch {
    return 'examiner';
  }
}
