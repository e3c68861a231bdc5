import { rmSync } from 'node:fs';
import type { Db } from '../db/database';
import type { ObjectStore, RecoveredIntent } from '../store/object-store';
import { recoverPublishedFiles } from './published-file';
import { objectReferences } from './staged-change';

/**
 * Run by every writing process at start: files staged by a process that died before its change committed are
 * removed (a file some row references stays), with the folder of a case whose import never committed, and files
 * published outside the data folder (archives, reports) without their audit event. Nothing of a case changes, so
 * nothing is audited: the change that staged the file never happened.
 */
export function recoverStagedFiles(db: Db, store: ObjectStore): RecoveredIntent[] {
  const referenced = objectReferences(db);
  const locked = (fn: () => void): void => db.transaction(fn).immediate();
  const done = store.recoverStaged(referenced, locked);
  removeOrphanCaseFolders(db, store, locked);
  recoverPublishedFiles(db, store.pendingDir(), locked);
  return done;
}

/**
 * A case folder with no case row is what a killed `case import` leaves (its objects are written before its rows).
 * It is removed unless a live process is importing it now.
 */
function removeOrphanCaseFolders(db: Db, store: ObjectStore, locked: (fn: () => void) => void): void {
  const has = db.prepare('SELECT 1 FROM cases WHERE id = ?');
  const orphans = store.caseFolders().filter((c) => has.get(c) === undefined);
  if (orphans.length === 0) return;
  locked(() => {
    const busy = store.casesInFlight();
    for (const c of orphans) {
      if (busy.has(c) || has.get(c) !== undefined) continue;
      rmSync(store.caseDir(c), { recursive: true, force: true });
    }
  });
}
