/**
 * The E2E harness that stands in for Electron: it builds the real renderer, serves it on loopback, opens it in
 * Debian's Chromium through playwright-core and installs `window.facet` backed by the real main-side services
 * (real SQLite, real files) in place of the preload bridge.
 */
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { rendererConfig } from '../../vite.renderer.config';
import type { App } from '../../src/main/compose';
import { composeRoot } from '../../src/main/root';
import type { FaceModels } from '../../src/main/services/face-analysis-service';
import type { RunExecutor } from '../../src/main/inference/run-executor';
import type { FileDialogs } from '../../src/main/shell/dialogs';
import { acceptDroppedPaths } from '../../src/main/ipc/dropped-files';

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

/** Case files by content address, as the shell's facet-case:// protocol serves them (`/facet-case/<case>/<sha>`). */
type CaseFiles = (caseId: string, sha256: string) => Buffer | null;

/** Serves a built folder on loopback (also used by the component gallery tests), and case files if given. */
export function serveStatic(dir: string, caseFiles?: CaseFiles): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = /^\/facet-case\/([a-z0-9-]{1,64})\/([0-9a-f]{64})$/.exec(url.pathname);
    if (m && caseFiles) {
      const bytes = caseFiles(m[1]!, m[2]!);
      if (!bytes) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
      return;
    }
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
  /**
   * Drops real files onto the element matching `selector`, as a user dragging them from the file manager:
   * the page gets File objects built from the files' bytes, and the harness remembers each one's real path
   * (standing in for Electron's webUtils.getPathForFile, which knows the path of every file the user dropped).
   */
  dropFiles(selector: string, paths: readonly string[]): Promise<void>;
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
  // The app's own composition root; without a test executor runs stay queued.
  const app = composeRoot({
    dataDir,
    onInternalError: (e) => console.error(e),
    dialogs: options.dialogs,
    executor: options.executor ?? null,
    loadFaceModels: options.loadFaceModels,
  });
  // The same PathPolicy the dialogs feed: only these folders are readable and writable.
  for (const folder of options.allowFolders ?? []) app.paths.allowFolder(folder);
  const server = await serveStatic(rendererDir, (caseId, sha) => {
    try {
      return app.store.read(caseId, sha);
    } catch {
      return null;
    }
  });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const pageErrors: Error[] = [];
    page.on('pageerror', (e) => pageErrors.push(e));

    await page.exposeFunction('__facetInvoke', (channel: unknown, input: unknown) =>
      app.router(channel, input),
    );
    // Main's side of the dropped-files channel, with the same checks; the page's stand-in for webUtils
    // below decides which paths reach it.
    await page.exposeFunction('__facetDropped', (paths: unknown) =>
      acceptDroppedPaths(paths, (p) => app.paths.allowFile(p)),
    );
    // The page asks for facet-case://<case>/<sha> like in the app; Chromium has no such scheme here, so images
    // are pointed at the same files over this server (same origin, so the CSP's img-src 'self' holds).
    await page.addInitScript(() => {
      const rewrite = (img: Element) => {
        const src = img.getAttribute('src');
        if (src?.startsWith('facet-case://')) img.setAttribute('src', `/facet-case/${src.slice(13)}`);
      };
      new MutationObserver((records) => {
        for (const r of records) {
          if (r.type === 'attributes' && r.target instanceof HTMLImageElement) rewrite(r.target);
          r.addedNodes.forEach((n) => {
            if (n instanceof Element) {
              if (n instanceof HTMLImageElement) rewrite(n);
              n.querySelectorAll('img').forEach(rewrite);
            }
          });
        }
      }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['src'] });
    });
    await page.addInitScript(() => {
      type Listener = (name: string, payload: unknown) => void;
      const listeners = new Set<Listener>();
      const w = window as unknown as Record<string, unknown>;
      w.__facetEmit = (name: string, payload: unknown) => listeners.forEach((l) => l(name, payload));
      // Stands in for webUtils: only Files that dropFiles built (as the OS hands Electron dropped files)
      // have a path; any File the page makes itself maps to '' and is refused, as in the preload.
      const droppedPaths = new WeakMap<object, string>();
      w.__facetRegisterDrop = (file: File, path: string) => droppedPaths.set(file, path);
      w.facet = {
        invoke: (channel: string, input: unknown) =>
          (w.__facetInvoke as (c: string, i: unknown) => Promise<unknown>)(channel, input),
        onEvent: (l: Listener) => {
          listeners.add(l);
          return () => listeners.delete(l);
        },
        importDropped: (files: readonly File[]) => {
          if (!Array.isArray(files) || files.length === 0)
            return Promise.resolve({
              ok: false,
              error: { code: 'invalid-input', message: 'Drop at least one file.' },
            });
          const paths: string[] = [];
          for (const f of files) {
            const path = droppedPaths.get(f) ?? '';
            if (!path)
              return Promise.resolve({
                ok: false,
                error: {
                  code: 'invalid-input',
                  message: `${f.name} was not dropped from this computer's disk, so it cannot be imported.`,
                },
              });
            paths.push(path);
          }
          return (w.__facetDropped as (p: string[]) => Promise<unknown>)(paths);
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
      dropFiles: async (selector, paths) => {
        const files = paths.map((p) => ({
          name: basename(p),
          path: resolve(p),
          base64: readFileSync(p).toString('base64'),
        }));
        await page.locator(selector).evaluate((target, dropped) => {
          const w = window as unknown as { __facetRegisterDrop: (f: File, p: string) => void };
          const dt = new DataTransfer();
          for (const d of dropped) {
            const bytes = Uint8Array.from(atob(d.base64), (c) => c.charCodeAt(0));
            const file = new File([bytes], d.name);
            w.__facetRegisterDrop(file, d.path);
            dt.items.add(file);
          }
          for (const type of ['dragenter', 'dragover', 'drop'])
            target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
        }, files);
      },
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
