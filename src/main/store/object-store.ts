import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { dirname, join } from 'node:path';
import { FacetError } from '../../shared/errors';
import { sha256Hex } from '../crypto';
import { processAlive } from './process-alive';

/** The file-system calls the store makes; injectable so tests can simulate a full disk or a crash. */
export type StoreFs = Pick<
  typeof nodeFs,
  | 'openSync'
  | 'writeSync'
  | 'fsyncSync'
  | 'closeSync'
  | 'renameSync'
  | 'chmodSync'
  | 'unlinkSync'
  | 'mkdirSync'
  | 'readFileSync'
  | 'existsSync'
  | 'readdirSync'
>;

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;
const SHA = /^[0-9a-f]{64}$/;
/** `<pid>-<tag>.<caseId>.<sha256>`: an empty file whose name says everything, so creating it is atomic. */
const INTENT = /^(\d+)-([0-9a-f]{8})\.([A-Za-z0-9][A-Za-z0-9-]{0,63})\.([0-9a-f]{64})$/;

/** Intents of this process still in flight (a same-pid intent not listed here belongs to an abandoned change). */
const inFlight = new Set<string>();

/** A file stored for a change that is not committed yet (see ObjectStore.stage). */
export interface StagedObject {
  readonly caseId: string;
  readonly sha256: string;
  /** Whether this call wrote the file (false: the same bytes were already stored). */
  readonly created: boolean;
  /**
   * Writes the file again if a recovering process removed it meanwhile; call inside the committing (IMMEDIATE)
   * transaction, which recovery also takes, so the committed row always has its file.
   */
  ensure(): void;
  /** The change committed or was undone: drop the intent. */
  settle(): void;
}

/** What recovery did with one intent left by a process that died. */
export interface RecoveredIntent {
  readonly caseId: string;
  readonly sha256: string;
  /** True when the file was removed because no row references it (the change never committed). */
  readonly removed: boolean;
}

/**
 * Content-addressed, write-once files per case: `<dataDir>/cases/<caseId>/objects/<sha[0..2]>/<sha>`.
 * A file is written to a temporary name, fsynced, renamed into place and made read-only; its name is its
 * SHA-256, so the same bytes are stored once, and every read re-hashes the bytes.
 */
export class ObjectStore {
  constructor(
    private readonly dataDir: string,
    private readonly fs: StoreFs = nodeFs,
  ) {}

  /** The folder of a case. */
  caseDir(caseId: string): string {
    if (!SAFE_ID.test(caseId))
      throw new FacetError('invalid-input', `Not a valid case id: ${JSON.stringify(caseId)}.`);
    return join(this.dataDir, 'cases', caseId);
  }

  /** Where the object with this hash lives. */
  pathOf(caseId: string, sha256: string): string {
    if (!SHA.test(sha256)) throw new FacetError('invalid-input', `Not a SHA-256: ${JSON.stringify(sha256)}.`);
    return join(this.caseDir(caseId), 'objects', sha256.slice(0, 2), sha256);
  }

  /** True if the case holds an object with this hash. */
  has(caseId: string, sha256: string): boolean {
    return this.fs.existsSync(this.pathOf(caseId, sha256));
  }

  /**
   * Stores bytes once; returns their hash and whether a new file was written. A failure (a full disk, say)
   * leaves no file behind and names the problem.
   */
  put(
    caseId: string,
    bytes: Uint8Array,
    expectedSha256?: string,
    tmpTag: string = String(process.pid),
  ): { sha256: string; created: boolean } {
    const sha256 = sha256Hex(bytes);
    if (expectedSha256 && expectedSha256 !== sha256) {
      throw new FacetError('conflict', `The bytes hash to ${sha256}, not the expected ${expectedSha256}.`);
    }
    const target = this.pathOf(caseId, sha256);
    if (this.fs.existsSync(target)) {
      const problem = this.check(caseId, sha256);
      if (problem) throw new FacetError('conflict', `A stored file is damaged: ${target}: ${problem}`);
      return { sha256, created: false };
    }
    const dir = dirname(target);
    const tmp = join(dir, `.tmp-${tmpTag}-${Math.random().toString(36).slice(2)}`);
    let fd: number | null = null;
    try {
      this.fs.mkdirSync(dir, { recursive: true });
      fd = this.fs.openSync(tmp, 'wx', 0o600);
      let off = 0;
      while (off < bytes.length) off += this.fs.writeSync(fd, bytes, off, bytes.length - off);
      this.fs.fsyncSync(fd);
      this.fs.closeSync(fd);
      fd = null;
      this.fs.chmodSync(tmp, 0o444);
      this.fs.renameSync(tmp, target);
      this.syncDir(dir);
      return { sha256, created: true };
    } catch (err) {
      if (fd !== null) {
        try {
          this.fs.closeSync(fd);
        } catch {
          /* already failing */
        }
      }
      try {
        this.fs.unlinkSync(tmp);
      } catch {
        /* the temp file may not exist */
      }
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT') {
        throw new FacetError(
          'io',
          `Not enough disk space to store a ${bytes.length}-byte file in ${dir}. Nothing was stored.`,
        );
      }
      if (code)
        throw new FacetError('io', `Could not store a file in ${dir}: ${code} (${(err as Error).message}).`);
      throw err;
    }
  }

  /** Reads an object, re-hashing it; a file whose bytes no longer match its name is refused. */
  read(caseId: string, sha256: string): Buffer {
    const path = this.pathOf(caseId, sha256);
    let bytes: Buffer;
    try {
      bytes = this.fs.readFileSync(path);
    } catch (err) {
      throw new FacetError(
        'io',
        `A stored file is missing or unreadable: ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)}).`,
      );
    }
    const actual = sha256Hex(bytes);
    if (actual !== sha256) {
      throw new FacetError(
        'conflict',
        `A stored file was altered: ${path} hashes to ${actual}, not ${sha256}.`,
      );
    }
    return bytes;
  }

  /** Null if the object is present and intact, else what is wrong with it. */
  check(caseId: string, sha256: string): string | null {
    const path = this.pathOf(caseId, sha256);
    if (!this.fs.existsSync(path)) return 'the file is missing';
    const actual = sha256Hex(this.fs.readFileSync(path));
    return actual === sha256
      ? null
      : `the file's bytes hash to ${actual}, not ${sha256}: the file was altered`;
  }

  /**
   * Stores a file for a change whose rows and audit event are committed next. An intent is recorded first (an empty
   * file under `<dataDir>/pending`), so that if the process dies before the commit, the next writing process
   * removes the file again (`recoverStaged`): a file never outlives a change that did not commit.
   */
  stage(caseId: string, bytes: Uint8Array): StagedObject {
    const sha256 = sha256Hex(bytes);
    const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
    this.caseDir(caseId); // validates the id, which becomes part of a file name
    const name = `${tag}.${caseId}.${sha256}`;
    const dir = this.pendingDir();
    this.fs.mkdirSync(dir, { recursive: true });
    const settle = (): void => {
      try {
        this.fs.unlinkSync(join(dir, name));
      } catch {
        /* already gone */
      }
      inFlight.delete(name);
    };
    inFlight.add(name);
    let created: boolean;
    try {
      const fd = this.fs.openSync(join(dir, name), 'wx', 0o600);
      try {
        this.fs.fsyncSync(fd);
      } finally {
        this.fs.closeSync(fd);
      }
      this.syncDir(dir);
      created = this.put(caseId, bytes, sha256, tag).created;
    } catch (err) {
      settle();
      throw err;
    }
    return {
      caseId,
      sha256,
      created,
      ensure: () => {
        if (!this.fs.existsSync(this.pathOf(caseId, sha256))) this.put(caseId, bytes, sha256, tag);
      },
      settle,
    };
  }

  /**
   * Finishes the intents of processes that died mid-change: a file no committed row references is removed, with
   * any temporary file of that write, then the intent. `referenced` is asked (and the file removed) inside
   * `locked`, the database's write lock, so a change committing at the same time is never robbed of its file.
   */
  recoverStaged(
    referenced: (caseId: string, sha256: string) => boolean,
    locked: (fn: () => void) => void,
  ): RecoveredIntent[] {
    const dir = this.pendingDir();
    let names: string[];
    try {
      names = this.fs.readdirSync(dir);
    } catch {
      return [];
    }
    const done: RecoveredIntent[] = [];
    for (const name of names) {
      const m = INTENT.exec(name);
      if (!m) continue;
      const [, pid, rand, caseId, sha256] = m as unknown as [string, string, string, string, string];
      const live = Number(pid) === process.pid ? inFlight.has(name) : processAlive(Number(pid));
      if (live) continue;
      locked(() => {
        const removed = !referenced(caseId, sha256);
        if (removed) this.discard(caseId, sha256);
        // The temporary file of that write goes either way (the same bytes may be stored by another change).
        const objDir = dirname(this.pathOf(caseId, sha256));
        let tmps: string[] = [];
        try {
          tmps = this.fs.readdirSync(objDir).filter((f) => f.startsWith(`.tmp-${pid}-${rand}-`));
        } catch {
          /* no folder: nothing was written */
        }
        for (const t of tmps) this.fs.unlinkSync(join(objDir, t));
        this.fs.unlinkSync(join(dir, name));
        done.push({ caseId, sha256, removed });
      });
    }
    return done;
  }

  /** Where intents are kept (this store's and those of audited files written elsewhere, see published-file.ts). */
  pendingDir(): string {
    return join(this.dataDir, 'pending');
  }

  /** The cases that have a folder in the store. */
  caseFolders(): string[] {
    try {
      return this.fs.readdirSync(join(this.dataDir, 'cases')).filter((n) => SAFE_ID.test(n));
    } catch {
      return [];
    }
  }

  /** The cases a live process has an intent for (a change in flight, e.g. a case import before its rows commit). */
  casesInFlight(): Set<string> {
    const cases = new Set<string>();
    let names: string[] = [];
    try {
      names = this.fs.readdirSync(this.pendingDir());
    } catch {
      return cases;
    }
    for (const name of names) {
      const m = INTENT.exec(name);
      if (!m) continue;
      const pid = Number(m[1]);
      if (pid === process.pid ? inFlight.has(name) : processAlive(pid)) cases.add(m[3]!);
    }
    return cases;
  }

  /** Removes an object written by a change that then failed (its database rows were rolled back). */
  discard(caseId: string, sha256: string): void {
    try {
      this.fs.unlinkSync(this.pathOf(caseId, sha256));
    } catch {
      /* nothing to discard */
    }
  }

  private syncDir(dir: string): void {
    // Persist the rename; not every platform can open a directory (Windows), which is fine.
    try {
      const fd = this.fs.openSync(dir, 'r');
      try {
        this.fs.fsyncSync(fd);
      } finally {
        this.fs.closeSync(fd);
      }
    } catch {
      /* best effort */
    }
  }
}
