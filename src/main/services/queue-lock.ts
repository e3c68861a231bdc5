import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../store/process-alive';

/**
 * Which process owns the run queue of a data folder: the desktop app and a CLI may open the same database, but
 * only the owner runs jobs and marks crashed runs `interrupted`. The owner's pid is kept in `queue.lock`; a lock
 * whose process is gone (a crash) is taken over.
 */
export class QueueLock {
  private held = false;

  constructor(private readonly dataDir: string) {}

  private get file(): string {
    return join(this.dataDir, 'queue.lock');
  }

  /** Takes the lock if it is free or stale; returns whether this process now owns the queue. */
  acquire(): boolean {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(this.file, String(process.pid), { flag: 'wx' });
        this.held = true;
        return true;
      } catch {
        const pid = Number(readFileSafe(this.file));
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) return false;
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

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}
