/**
 * Helpers for the Electron smoke test: find an Electron binary without triggering its download, and
 * lay out a copy of the built app whose better-sqlite3 is rebuilt for Electron, so that the smoke test
 * never switches the native module under the other (Node) tests of the same run.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Electron executable, or why there is none. */
export type ElectronBinary = { readonly path: string } | { readonly reason: string };

/**
 * Finds the Electron executable the way the `electron` package does (`path.txt` + `dist/`), but never
 * downloads it (requiring the package would).
 */
export function findElectronBinary(electronPackageDir: string, env = process.env): ElectronBinary {
  const pathTxt = join(electronPackageDir, 'path.txt');
  if (!existsSync(pathTxt)) {
    return {
      reason:
        `no Electron binary: ${pathTxt} is missing (the electron package's install step never downloaded ` +
        'its binary; this machine is offline)',
    };
  }
  const rel = readFileSync(pathTxt, 'utf8').trim();
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH ?? join(electronPackageDir, 'dist');
  const exe = join(dist, rel);
  return existsSync(exe) ? { path: exe } : { reason: `no Electron binary at ${exe}` };
}

/**
 * Builds (if needed) and copies the app to `appDir`, with its own better-sqlite3 rebuilt for Electron
 * `electronVersion` by @electron/rebuild (downloads headers or a prebuilt binary the first time; cached
 * by version). Other packages resolve upwards to the repository's node_modules.
 */
export function prepareSmokeApp(root: string, appDir: string, electronVersion: string): void {
  if (!existsSync(join(root, 'out', 'main', 'index.js'))) run('npx', ['electron-vite', 'build'], root);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  mkdirSync(appDir, { recursive: true });
  for (const part of ['main', 'preload', 'renderer']) {
    rmSync(join(appDir, 'out', part), { recursive: true, force: true });
    cpSync(join(root, 'out', part), join(appDir, 'out', part), { recursive: true });
  }
  writeFileSync(
    join(appDir, 'package.json'),
    JSON.stringify(
      { ...pkg, dependencies: { 'better-sqlite3': '*' }, devDependencies: {}, scripts: {} },
      null,
      2,
    ),
  );
  const native = join(appDir, 'node_modules', 'better-sqlite3');
  const marker = join(native, '.facet-electron-version');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === electronVersion) return;
  rmSync(native, { recursive: true, force: true });
  cpSync(join(root, 'node_modules', 'better-sqlite3'), native, { recursive: true });
  const cli = join(root, 'node_modules', '@electron', 'rebuild', 'lib', 'cli.js');
  run(
    process.execPath,
    [cli, '--version', electronVersion, '--module-dir', appDir, '--only', 'better-sqlite3', '--force'],
    root,
  );
  writeFileSync(marker, electronVersion);
}

function run(command: string, args: string[], cwd: string): void {
  const r = spawnSync(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed with status ${r.status}`);
}
