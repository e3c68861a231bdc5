import type { Db } from '../db/database';
import type { ObjectStore, StagedObject } from '../store/object-store';

/** Whether a committed row of the case names the object (evidence, a face's crop or LR, an output, a report). */
export function objectReferences(db: Db): (caseId: string, sha256: string) => boolean {
  const ref = db.prepare(
    `SELECT 1 FROM evidence WHERE case_id = @c AND sha256 = @s
     UNION ALL SELECT 1 FROM faces WHERE case_id = @c AND (crop_sha256 = @s OR lr_sha256 = @s)
     UNION ALL SELECT 1 FROM outputs o JOIN runs r ON r.id = o.run_id WHERE r.case_id = @c AND o.sha256 = @s
     UNION ALL SELECT 1 FROM reports WHERE case_id = @c AND sha256 = @s
     LIMIT 1`,
  );
  return (c, s) => ref.get({ c, s }) !== undefined;
}

/**
 * A change that stores files and then commits the rows naming them. Each file is staged (with an intent a restart
 * undoes, see ObjectStore.stage), so a process killed before the commit leaves no file that no row names; a change
 * that fails removes the files it wrote, unless a row committed meanwhile names them (a concurrent change).
 */
export class StagedChange {
  private readonly staged: StagedObject[] = [];
  private settled = false;

  constructor(
    private readonly db: Db,
    private readonly store: ObjectStore,
  ) {}

  /** Stores bytes for this change. */
  stage(caseId: string, bytes: Uint8Array): StagedObject {
    const s = this.store.stage(caseId, bytes);
    this.staged.push(s);
    return s;
  }

  /**
   * Runs `commit` in an IMMEDIATE transaction (the one recovery also takes), after making sure every staged file is
   * still there; on success the intents are dropped, on failure the change is abandoned.
   */
  commit<T>(commit: () => T): T {
    let value: T;
    try {
      value = this.db
        .transaction(() => {
          for (const s of this.staged) s.ensure();
          return commit();
        })
        .immediate();
    } catch (err) {
      this.abandon();
      throw err;
    }
    this.settle();
    return value;
  }

  /**
   * Removes the files this change wrote that no committed row names (under the write lock, so a concurrent commit
   * naming the same bytes keeps them). If that fails, the intents stay, and the next writing process collects them.
   */
  abandon(): void {
    if (this.settled) return;
    const referenced = objectReferences(this.db);
    try {
      this.db
        .transaction(() => {
          for (const s of this.staged)
            if (s.created && !referenced(s.caseId, s.sha256)) this.store.discard(s.caseId, s.sha256);
        })
        .immediate();
    } catch {
      return;
    }
    this.settle();
  }

  private settle(): void {
    this.settled = true;
    for (const s of this.staged) s.settle();
  }
}
