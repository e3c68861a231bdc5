/**
 * The E2E harness that stands in for Electron: it builds the real renderer, serves it on loopback, opens it in
 * Debian's Chromium through playwright-core and installs `window.facet` backed by the real main-side services
 * (real SQLite, real files) in place of the preload bridge.
 */
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { rendererConfig } from '../../vite.renderer.config';
import { composeApp, type App } from '../../src/main/compose';
import type { FaceModels } from '../../src/main/services/face-analysis-service';
import type { RunExecutor } from '../../src/main/services/run-executor';
import type { FileDialogs } from '../../src/main/shell/dialogs';

const ROOT = resolve(import.meta.dirname, '../..');
export const TEST_OUTPUT = join(ROOT, 'test-output');
export const CHROMIUM = process.env.FACET_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
];

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Builds the renderer into a folder of its own (one per test worker) and returns it. */
export async function buildRenderer(): Promise<string> {
  const outDir = join(TEST_OUTPUT, `renderer-${process.pid}`);
  await build({
    ...rendererConfig,
    configFile: false,
    logLevel: 'warn',
    build: { ...rendererConfig.build, outDir, emptyOutDir: true },
  });
  return outDir;
}

function serveStatic(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const rel = normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname));
    const file = join(dir, rel);
    if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

export interface Harness {
  readonly app: App;
  readonly page: Page;
  /** Saves a full-page screenshot under test-output/screenshots/. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** What a test may add to the real services (the app's shell passes the same through composeApp). */
export interface HarnessOptions {
  /** Folders pre-allowed by the path policy, as if the user had picked them (e.g. the shared demo folder). */
  readonly allowFolders?: readonly string[];
  /** Stands in for the native dialogs (see `fixedDialogs`); without it the dialog calls say they are unavailable. */
  readonly dialogs?: FileDialogs;
  /** Runs queued runs (e.g. `createInferenceExecutor()` with the analytic test models); the caller closes it. */
  readonly executor?: RunExecutor;
  /** Loads the face models (tests may share one pipeline); default: models/face. */
  readonly loadFaceModels?: () => Promise<FaceModels>;
}

/** Dialogs that always "choose" the given paths, for tests of the import and export flows. */
export function fixedDialogs(choice: { images?: string[]; file?: string[]; save?: string[] }): FileDialogs {
  return {
    openImages: async ({ multiple }) =>
      multiple ? [...(choice.images ?? [])] : (choice.images ?? []).slice(0, 1),
    openFile: async () => [...(choice.file ?? [])],
    saveFile: async () => [...(choice.save ?? [])],
  };
}

/** Starts the real services over `dataDir` and opens the renderer against them. */
export async function startHarness(
  dataDir: string,
  rendererDir: string,
  options: HarnessOptions = {},
): Promise<Harness> {
  const app = composeApp({
    dataDir,
    onInternalError: (e) => console.error(e),
    dialogs: options.dialogs,
    executor: options.executor,
    loadFaceModels: options.loadFaceModels,
  });
  // The same PathPolicy the dialogs feed: only these folders are readable and writable.
  for (const folder of options.allowFolders ?? []) app.paths.allowFolder(folder);
  const server = await serveStatic(rendererDir);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const pageErrors: Error[] = [];
    page.on('pageerror', (e) => pageErrors.push(e));

    await page.exposeFunction('__facetInvoke', (channel: unknown, input: unknown) =>
      app.router(channel, input),
    );
    await page.addInitScript(() => {
      type Listener = (name: string, payload: unknown) => void;
      const listeners = new Set<Listener>();
      const w = window as unknown as Record<string, unknown>;
      w.__facetEmit = (name: string, payload: unknown) => listeners.forEach((l) => l(name, payload));
      w.facet = {
        invoke: (channel: string, input: unknown) =>
          (w.__facetInvoke as (c: string, i: unknown) => Promise<unknown>)(channel, input),
        onEvent: (l: Listener) => {
          listeners.add(l);
          return () => listeners.delete(l);
        },
      };
    });
    const unsubscribe = app.events.subscribe((name, payload) => {
      void page
        .evaluate(
          ([n, p]) =>
            (window as unknown as { __facetEmit: (n: unknown, p: unknown) => void }).__facetEmit(n, p),
          [name, payload] as const,
        )
        .catch(() => {});
    });

    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/index.html`);

    const shots = join(TEST_OUTPUT, 'screenshots');
    mkdirSync(shots, { recursive: true });
    const openBrowser = browser;
    return {
      app,
      page,
      screenshot: async (name) => {
        const path = join(shots, `${name}.png`);
        await page.screenshot({ path, fullPage: true });
        return path;
      },
      close: async () => {
        unsubscribe();
        await openBrowser.close();
        await new Promise((ok) => server.close(ok));
        app.close();
        if (pageErrors.length)
          throw new Error(`Errors in the page: ${pageErrors.map((e) => e.message).join('; ')}`);
      },
    };
  } catch (err) {
    await browser?.close();
    server.close();
    app.close();
    throw err;
  }
}
