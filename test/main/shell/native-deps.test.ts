import { describe, expect, it, vi } from 'vitest';
import {
  ensureNative,
  isAbiMismatch,
  realIo,
  type LoadResult,
  type NativeIo,
} from '../../../scripts/native-deps';

const MISMATCH =
  "Error: The module 'better_sqlite3.node' was compiled against a different Node.js version using\n" +
  'NODE_MODULE_VERSION 140. This version of Node.js requires NODE_MODULE_VERSION 115.';

/** An io double: `builtFor` is what the native module is currently built for. */
function fakeIo(builtFor: 'node' | 'electron', marker: string | null) {
  const state = { builtFor, marker };
  const io: NativeIo = {
    loadsInNode: (): LoadResult =>
      state.builtFor === 'node' ? { ok: true } : { ok: false, error: MISMATCH },
    readMarker: () => state.marker,
    writeMarker: vi.fn((v: string) => void (state.marker = v)),
    run: vi.fn((cmd: string) => {
      state.builtFor = cmd === 'npm' ? 'node' : 'electron';
      return 0;
    }),
    electronVersion: '45.5.0',
    nodeAbi: '115',
    log: () => {},
  };
  return { io, state };
}

describe('native module ABI switch', () => {
  it('does nothing for tests when the build is Node’s (CI)', () => {
    const { io } = fakeIo('node', null);
    expect(ensureNative('node', io)).toBe('up-to-date');
    expect(io.run).not.toHaveBeenCalled();
  });

  it('rebuilds for Electron before start, then back for Node before tests', () => {
    const { io, state } = fakeIo('node', null);
    expect(ensureNative('electron', io)).toBe('rebuilt');
    expect(io.run).toHaveBeenLastCalledWith('npx', ['electron-builder', 'install-app-deps']);
    expect(state.marker).toBe('electron-45.5.0');
    expect(ensureNative('electron', io)).toBe('up-to-date');
    expect(io.run).toHaveBeenCalledTimes(1);
    expect(ensureNative('node', io)).toBe('rebuilt');
    expect(io.run).toHaveBeenLastCalledWith('npm', ['rebuild', 'better-sqlite3']);
    expect(state.marker).toBe('node-abi115');
  });

  it('rebuilds for a different Electron version, and when the build loads in Node whatever the marker says', () => {
    const old = fakeIo('electron', 'electron-44.0.0');
    expect(ensureNative('electron', old.io)).toBe('rebuilt');
    const stale = fakeIo('node', 'electron-45.5.0');
    expect(ensureNative('electron', stale.io)).toBe('rebuilt');
  });

  it('fails loudly on a load error that is not an ABI mismatch, or a failed rebuild', () => {
    const { io } = fakeIo('node', null);
    io.loadsInNode = () => ({ ok: false, error: "Cannot find module 'better-sqlite3'" });
    expect(() => ensureNative('node', io)).toThrow(/not because of its ABI/);
    const failing = fakeIo('electron', null);
    failing.io.run = () => 1;
    expect(() => ensureNative('node', failing.io)).toThrow(/npm rebuild better-sqlite3 failed/);
  });

  it('recognises ABI mismatch messages', () => {
    expect(isAbiMismatch(MISMATCH)).toBe(true);
    expect(isAbiMismatch('Error: invalid ELF header')).toBe(true);
    expect(isAbiMismatch("Cannot find module 'x'")).toBe(false);
  });

  it('loads the real better-sqlite3 in Node here (what pretest checks)', () => {
    const io = realIo();
    expect(io.loadsInNode()).toEqual({ ok: true });
    expect(io.electronVersion).toMatch(/^\d+\.\d+\.\d+/);
  });
});
