/**
 * Launches the real app in Electron with playwright-core and checks the shell end to end. Needs an
 * Electron binary: on machines without one (CI here, which is offline) it is skipped, and says why.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp-dir';
import { findElectronBinary, prepareSmokeApp } from './electron-app';

const ROOT = resolve(import.meta.dirname, '../../..');
const ELECTRON_PKG = join(ROOT, 'node_modules', 'electron');
const binary = findElectronBinary(ELECTRON_PKG);
const skipReason = 'reason' in binary ? binary.reason : undefined;
if (skipReason) console.warn(`[electron-smoke] skipped: ${skipReason}`);

describe('finding the Electron binary', () => {
  it('reports why there is none, and finds one that is there, without downloading', () => {
    const dir = tempDir('facet-electron-pkg-');
    try {
      expect(findElectronBinary(dir.path)).toMatchObject({
        reason: expect.stringMatching(/path\.txt is missing/),
      });
      writeFileSync(join(dir.path, 'path.txt'), 'electron');
      expect(findElectronBinary(dir.path)).toMatchObject({
        reason: expect.stringMatching(/no Electron binary at/),
      });
      mkdirSync(join(dir.path, 'dist'));
      writeFileSync(join(dir.path, 'dist', 'electron'), '');
      expect(findElectronBinary(dir.path)).toEqual({ path: join(dir.path, 'dist', 'electron') });
    } finally {
      dir.remove();
    }
  });
});

describe.skipIf(skipReason !== undefined)('Electron smoke test (real app)', () => {
  let app: ElectronApplication;
  let page: Page;
  const data = tempDir('facet-smoke-data-');

  beforeAll(async () => {
    const version = (
      JSON.parse(readFileSync(join(ELECTRON_PKG, 'package.json'), 'utf8')) as { version: string }
    ).version;
    const appDir = join(ROOT, 'test-output', 'electron-smoke-app');
    prepareSmokeApp(ROOT, appDir, version);
    app = await _electron.launch({
      executablePath: (binary as { path: string }).path,
      args: [appDir],
      env: { ...process.env, FACET_DATA_DIR: data.path, ELECTRON_RENDERER_URL: '' },
      timeout: 60_000,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 600_000);

  afterAll(async () => {
    await app?.close();
    data.remove();
  });

  it('opens one isolated window showing the app', async () => {
    expect(await page.title()).toBe('Facet SR');
    expect(page.url()).toMatch(/^file:.*\/out\/renderer\/index\.html/);
    const windows = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
    expect(windows).toBe(1);
    // A sandboxed, isolated page: the main world sees neither Node nor Electron's renderer modules.
    const globals = await page.evaluate(() => ({
      module: typeof (window as unknown as { module?: unknown }).module,
      ipc: typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer,
    }));
    expect(globals).toEqual({ module: 'undefined', ipc: 'undefined' });
  });

  it('exposes exactly window.facet with invoke and onEvent, and no Node', async () => {
    const seen = await page.evaluate(() => ({
      keys: Object.keys((window as unknown as { facet: object }).facet).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(seen).toEqual({ keys: ['invoke', 'onEvent'], require: 'undefined', process: 'undefined' });
  });

  it('answers contract calls through IPC with real services, and validates them', async () => {
    const created = await page.evaluate(() => window.facet.invoke('cases.create', { name: 'Smoke case' }));
    expect(created).toMatchObject({ ok: true, value: { name: 'Smoke case' } });
    const bad = await page.evaluate(() => window.facet.invoke('cases.create', { name: '' }));
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('reaches no network, opens no window and does not navigate away', async () => {
    const fetched = await page.evaluate(() =>
      fetch('https://example.com/').then(
        () => 'loaded',
        () => 'blocked',
      ),
    );
    expect(fetched).toBe('blocked');
    expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
    const before = page.url();
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(before);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });
});
