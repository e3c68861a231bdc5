import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../store/process-alive';

/**
 * Which process owns the run queue of a data folder: the desktop app and CLIs may open the same database, but only
 * the owner runs jobs and marks crashed runs `interrupted`. The owner's pid is kept in `queue.lock`; a lock whose
 * process is gone (a crash) is taken over.
 */
export class QueueLock {
  private held = false;

  /**
   * `serialize` runs the check-and-take under a lock every acquirer shares (the database's write lock), so that two
   * processes never both find the same lock stale, nor one reads the file another has created but not yet written.
   */
  constructor(
    private readonly dataDir: string,
    private readonly serialize: (fn: () => boolean) => boolean = (fn) => fn(),
  ) {}

  private get file(): string {
    return join(this.dataDir, 'queue.lock');
  }

  /** Whether this instance holds the lock. */
  get owned(): boolean {
    return this.held;
  }

  /** Takes the lock if it is free or stale; returns whether this process now owns the queue. */
  acquire(): boolean {
    if (this.held) return true;
    // Cheap look first: a live owner means no, without taking the database's write lock (waiters poll this).
    if (liveOwner(readFileSafe(this.file))) return false;
    try {
      this.held = this.serialize(() => this.take());
    } catch {
      // The database stayed busy past its timeout: someone else is writing; try again later.
      this.held = false;
    }
    return this.held;
  }

  private take(): boolean {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(this.file, String(process.pid), { flag: 'wx' });
        return true;
      } catch {
        if (liveOwner(readFileSafe(this.file))) return false;
        try {
          unlinkSync(this.file);
        } catch {
          /* someone else removed it */
        }
      }
    }
    return false;
  }

  /** Releases the lock if this instance holds it. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    try {
      if (readFileSafe(this.file) === String(process.pid)) unlinkSync(this.file);
    } catch {
      /* already gone */
    }
  }
}

/** Whether the lock file's text names another process that is alive. */
function liveOwner(text: string): boolean {
  const pid = Number(text);
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid);
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}
