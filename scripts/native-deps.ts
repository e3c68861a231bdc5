/**
 * Keeps better-sqlite3 built for the runtime about to load it. Electron and Node have different native
 * ABIs, so `npm start`/`npm run dev` need it rebuilt for Electron (prestart) and `npm test`/the CLI need
 * it back for Node (pretest). Each direction rebuilds only when the current build is for the other one,
 * so CI, which never starts Electron, never pays for a rebuild. Never run from `npm ci`.
 *
 * Usage: `tsx scripts/native-deps.ts electron|node`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..');
/** Records which runtime the native modules were last built for (inside node_modules: `npm ci` resets it). */
const MARKER = resolve(ROOT, 'node_modules', '.facet-native-target');

/** The runtime the native modules must load in. */
export type Target = 'node' | 'electron';

/** Whether better-sqlite3 loads in plain Node, and why not. */
export type LoadResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** Everything the decision touches, so that tests can pass doubles. */
export interface NativeIo {
  /** Tries to open an in-memory database with better-sqlite3 in a fresh Node process. */
  loadsInNode(): LoadResult;
  readMarker(): string | null;
  writeMarker(value: string): void;
  /** Runs a command in the repo root; returns its exit status. */
  run(command: string, args: readonly string[]): number;
  readonly electronVersion: string;
  readonly nodeAbi: string;
  log(message: string): void;
}

/** True when a load error means "built for another ABI" (rather than, say, a missing package). */
export function isAbiMismatch(error: string): boolean {
  return /NODE_MODULE_VERSION|compiled against a different Node\.js version|invalid ELF header|not a valid Win32 application|wrong ELF class|incompatible architecture/i.test(
    error,
  );
}

/** The marker value for a target. */
export function markerFor(target: Target, io: Pick<NativeIo, 'electronVersion' | 'nodeAbi'>): string {
  return target === 'electron' ? `electron-${io.electronVersion}` : `node-abi${io.nodeAbi}`;
}

/** Makes better-sqlite3 loadable by `target`; returns what it did. Throws when a rebuild fails. */
export function ensureNative(target: Target, io: NativeIo): 'up-to-date' | 'rebuilt' {
  const load = io.loadsInNode();
  if (!load.ok && !isAbiMismatch(load.error)) {
    throw new Error(`better-sqlite3 does not load, and not because of its ABI:\n${load.error}`);
  }
  if (target === 'node') {
    if (load.ok) {
      if (io.readMarker() !== markerFor('node', io)) io.writeMarker(markerFor('node', io));
      return 'up-to-date';
    }
    io.log('better-sqlite3 is built for Electron; rebuilding it for Node ...');
    if (io.run('npm', ['rebuild', 'better-sqlite3']) !== 0)
      throw new Error('npm rebuild better-sqlite3 failed.');
    const again = io.loadsInNode();
    if (!again.ok) throw new Error(`better-sqlite3 still does not load in Node:\n${again.error}`);
    io.writeMarker(markerFor('node', io));
    return 'rebuilt';
  }
  // A build that loads in Node is Node's, whatever the marker says; one that does not is Electron's
  // only if the marker names this Electron version.
  if (!load.ok && io.readMarker() === markerFor('electron', io)) return 'up-to-date';
  io.log(
    `Rebuilding native modules for Electron ${io.electronVersion} (electron-builder install-app-deps) ...`,
  );
  if (io.run('npx', ['electron-builder', 'install-app-deps']) !== 0) {
    throw new Error('electron-builder install-app-deps failed (it needs the network the first time).');
  }
  io.writeMarker(markerFor('electron', io));
  return 'rebuilt';
}

/** The real filesystem and processes. */
export function realIo(root = ROOT): NativeIo {
  const electronPkg = resolve(root, 'node_modules', 'electron', 'package.json');
  return {
    loadsInNode: () => {
      const r = spawnSync(
        process.execPath,
        ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"],
        { cwd: root, encoding: 'utf8' },
      );
      return r.status === 0 ? { ok: true } : { ok: false, error: `${r.stderr}${r.error?.message ?? ''}` };
    },
    readMarker: () => (existsSync(MARKER) ? readFileSync(MARKER, 'utf8').trim() : null),
    writeMarker: (value) => writeFileSync(MARKER, `${value}\n`),
    run: (command, args) =>
      spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' }).status ??
      1,
    electronVersion: existsSync(electronPkg)
      ? (JSON.parse(readFileSync(electronPkg, 'utf8')) as { version: string }).version
      : 'unknown',
    nodeAbi: process.versions.modules,
    log: (message) => console.log(`[native-deps] ${message}`),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const target = process.argv[2];
  if (target !== 'node' && target !== 'electron') {
    console.error('usage: tsx scripts/native-deps.ts electron|node');
    process.exit(2);
  }
  try {
    const done = ensureNative(target, realIo());
    if (done === 'rebuilt') console.log(`[native-deps] better-sqlite3 rebuilt for ${target}.`);
  } catch (err) {
    console.error(`[native-deps] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
