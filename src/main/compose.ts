import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { caseHandlers } from './api/handlers/cases';
import { createRouter, type Handlers, type Router } from './api/router';
import { openDatabase, type Db } from './db/database';
import { EventBus } from './events';
import { CaseService } from './services/case-service';

/** Everything main needs, built once by hand (no DI container). */
export interface App {
  readonly dataDir: string;
  readonly db: Db;
  readonly events: EventBus;
  readonly cases: CaseService;
  readonly router: Router;
  close(): void;
}

export interface ComposeOptions {
  /** Folder holding the database and the case folders. */
  readonly dataDir: string;
  /** Called with unexpected errors (bugs), for logging. */
  readonly onInternalError?: (err: unknown) => void;
}

/** Wires the services and the router over one data folder. */
export function composeApp(options: ComposeOptions): App {
  mkdirSync(options.dataDir, { recursive: true });
  const db = openDatabase(join(options.dataDir, 'facet.sqlite'));
  const events = new EventBus();
  const cases = new CaseService(db);

  const handlers: Handlers = {
    ...caseHandlers(cases),
  };

  return {
    dataDir: options.dataDir,
    db,
    events,
    cases,
    router: createRouter(handlers, options.onInternalError),
    close: () => db.close(),
  };
}
