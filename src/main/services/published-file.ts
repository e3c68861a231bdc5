import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { FacetError } from '../../shared/errors';
import { sha256Hex } from '../crypto';
import type { Db } from '../db/database';
import { fsErrorWords } from '../imaging/read-file';
import { processAlive } from '../store/process-alive';

/** `publish-<pid>-<tag>.json` in the pending folder: what a dying publisher leaves for the next writer. */
const INTENT = /^publish-(\d+)-[0-9a-f]{8}\.json$/;

interface PublishIntent {
  readonly caseId: string;
  readonly target: string;
  readonly partial: string;
  readonly sha256: string;
}

/**
 * Writes a file the user asked for outside the data folder (a case archive, an exported report) together with its
 * audit event: the bytes go to `<target>.partial-<pid>-<tag>`, the target name is claimed (an existing file is never
 * replaced), and the rename to the final name happens inside the IMMEDIATE transaction that appends the event, so
 * the file has its final name exactly when its event commits. An intent in the pending folder, written first, lets
 * the next writing process finish the job of one that was killed: the partial file is removed, and so is a target
 * whose event never committed (`recoverPublishedFiles`).
 */
export function publishAudited(opts: {
  readonly db: Db;
  readonly pendingDir: string;
  readonly caseId: string;
  readonly target: string;
  readonly bytes: Uint8Array;
  /** Appends the audit event; runs inside the transaction. Its payload must hold `path` (target) and `sha256`. */
  readonly record: (sha256: string) => void;
}): string {
  const { db, pendingDir, caseId, target, bytes } = opts;
  const sha256 = sha256Hex(bytes);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const partial = `${target}.partial-${tag}`;
  const intentFile = join(pendingDir, `publish-${tag}.json`);
  let claimed = false;
  let renamed = false;
  const cleanup = (): void => {
    for (const p of [partial, ...(claimed || renamed ? [target] : []), intentFile]) removeQuietly(p);
  };
  try {
    mkdirSync(pendingDir, { recursive: true });
    writeDurably(intentFile, JSON.stringify({ caseId, target, partial, sha256 } satisfies PublishIntent));
    writeDurably(partial, bytes);
    try {
      writeFileSync(target, '', { flag: 'wx' });
      claimed = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST')
        throw new FacetError('conflict', `${target} already exists; choose a new file name.`);
      throw err;
    }
    db.transaction(() => {
      opts.record(sha256);
      renameSync(partial, target);
      renamed = true;
    }).immediate();
  } catch (err) {
    cleanup();
    if (err instanceof FacetError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'ENOSPC' || code === 'SQLITE_FULL')
      throw new FacetError('io', `Not enough disk space to write ${target}. Nothing was written.`);
    if (code && /^E[A-Z]+$/.test(code))
      throw new FacetError('io', `Could not write ${target}: ${fsErrorWords(err)}. Nothing was written.`);
    throw err;
  }
  removeQuietly(intentFile);
  return sha256;
}

/**
 * Finishes the publishes of processes that died: the partial file goes, and a target whose audit event never
 * committed is removed if it is still the (empty) claim or the very bytes that were being published.
 */
export function recoverPublishedFiles(db: Db, pendingDir: string, locked: (fn: () => void) => void): void {
  let names: string[];
  try {
    names = readdirSync(pendingDir);
  } catch {
    return;
  }
  const audited = db.prepare(
    `SELECT 1 FROM audit_events WHERE case_id = ? AND json_extract(payload, '$.path') = ?
       AND json_extract(payload, '$.sha256') = ? LIMIT 1`,
  );
  for (const name of names) {
    const m = INTENT.exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    const file = join(pendingDir, name);
    let intent: PublishIntent | null = null;
    try {
      intent = JSON.parse(readFileSync(file, 'utf8')) as PublishIntent;
    } catch {
      /* torn: the process died writing it, before any partial file or claim existed */
    }
    locked(() => {
      if (intent) {
        removeQuietly(intent.partial);
        if (!audited.get(intent.caseId, intent.target, intent.sha256) && isOurs(intent)) {
          removeQuietly(intent.target);
        }
      }
      removeQuietly(file);
    });
  }
}

/** Whether the target is still the empty claim or exactly the bytes being published. */
function isOurs(intent: PublishIntent): boolean {
  try {
    if (statSync(intent.target).size === 0) return true;
    return sha256Hex(readFileSync(intent.target)) === intent.sha256;
  } catch {
    return false;
  }
}

/** Writes a new file and fsyncs it; a file with the same name is never replaced. */
function writeDurably(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, 'wx', 0o644);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}
