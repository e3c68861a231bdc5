import type { Db } from '../db/database';
import type { ObjectStore, RecoveredIntent } from '../store/object-store';

/**
 * Run by every writing process at start: files staged by a process that died before its change committed are
 * removed (a file some row references stays). Nothing of a case changes, so nothing is audited: the change that
 * staged the file never happened.
 */
export function recoverStagedFiles(db: Db, store: ObjectStore): RecoveredIntent[] {
  const ref = db.prepare(
    `SELECT 1 FROM evidence WHERE case_id = @c AND sha256 = @s
     UNION ALL SELECT 1 FROM faces WHERE case_id = @c AND (crop_sha256 = @s OR lr_sha256 = @s)
     UNION ALL SELECT 1 FROM outputs o JOIN runs r ON r.id = o.run_id WHERE r.case_id = @c AND o.sha256 = @s
     UNION ALL SELECT 1 FROM reports WHERE case_id = @c AND sha256 = @s
     LIMIT 1`,
  );
  return store.recoverStaged(
    (c, s) => ref.get({ c, s }) !== undefined,
    (fn) => db.transaction(fn).immediate(),
  );
}
