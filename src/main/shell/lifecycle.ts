import { join } from 'node:path';
import type {
  App,
  BrowserWindow,
  BrowserWindowConstructorOptions,
  IpcMain,
  IpcMainInvokeEvent,
  Protocol,
} from 'electron';
import type { Router } from '../api/router';
import type { EventBus } from '../events';
import { registerDroppedFiles } from '../ipc/dropped-files';
import { registerIpc } from '../ipc/register';
import { trustedSender } from '../ipc/trusted-sender';
import { registerCaseProtocol, type ResolveCaseFile } from '../protocol/case-protocol';
import { caseStoreResolver } from '../protocol/case-store-layout';
import { CASE_SCHEME, CASE_SCHEME_PRIVILEGES } from '../protocol/scheme';
import { applySessionPolicy, type PolicySession } from '../security/session-policy';
import type { AppOrigin } from '../security/url-policy';
import { hardenWebContents } from '../security/web-contents-policy';
import { windowOptions } from '../window/window-options';

/** What the shell needs from the composed services (compose.ts's App satisfies it). */
export interface ShellServices {
  readonly router: Router;
  readonly events: EventBus;
  /** The store's resolver for case files; the on-disk layout is used when absent. */
  readonly resolveCaseFile?: ResolveCaseFile;
  /** The path policy that dropped files are added to; without it, drops are not accepted. */
  readonly paths?: { allowRead(path: string): void };
  close(): void;
}

/** The window as the shell uses it (a test passes a double). */
export type ShellWindow = Pick<
  BrowserWindow,
  'once' | 'on' | 'show' | 'focus' | 'restore' | 'isMinimized' | 'loadURL' | 'loadFile' | 'webContents'
>;

/** Electron's modules, passed in so that the whole lifecycle runs under test with doubles. */
export interface ElectronModules {
  readonly app: Pick<
    App,
    'requestSingleInstanceLock' | 'quit' | 'whenReady' | 'on' | 'getPath' | 'enableSandbox'
  >;
  readonly BrowserWindow: new (options: BrowserWindowConstructorOptions) => ShellWindow;
  readonly ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  readonly protocol: Pick<Protocol, 'handle' | 'unhandle' | 'registerSchemesAsPrivileged'>;
  readonly session: { readonly defaultSession: PolicySession };
}

/** Where the built app lives and how it runs. */
export interface ShellConfig {
  /** The built renderer folder (holding index.html). */
  readonly rendererDir: string;
  /** The built, sandboxed preload script. */
  readonly preload: string;
  /** electron-vite's dev server, in `npm run dev` only. */
  readonly devServerUrl?: string | undefined;
  /** FACET_DATA_DIR or the like; Electron's userData folder otherwise. */
  readonly dataDir?: string | undefined;
  /** DevTools on (development) or off (packaged). */
  readonly devTools: boolean;
  /** The ONNX models folder (see app-paths.ts), handed to compose for the inference engine. */
  readonly modelsDir: string;
  /** Builds the services over the data and models folders (compose.ts). */
  readonly compose: (dirs: { readonly dataDir: string; readonly modelsDir: string }) => ShellServices;
  /** Where refusals and errors are logged. */
  readonly log: (message: string) => void;
}

/** What startShell reports: whether this process is the app, and when its window is up. */
export interface ShellHandle {
  readonly primary: boolean;
  /** Resolves once the window exists and its page is loading. */
  readonly ready: Promise<void>;
}

/**
 * The app's lifecycle: one instance, sandbox everywhere, the case-file scheme registered before ready;
 * when ready, the session locked down, the protocol served, one window, IPC registered; when the window
 * closes, services closed and the app quits.
 */
export function startShell(electron: ElectronModules, config: ShellConfig): ShellHandle {
  const { app } = electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { primary: false, ready: Promise.resolve() };
  }
  app.enableSandbox();
  electron.protocol.registerSchemesAsPrivileged([
    { scheme: CASE_SCHEME, privileges: { ...CASE_SCHEME_PRIVILEGES } },
  ]);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, config.log));

  const origin: AppOrigin = { rendererDir: config.rendererDir, devServerUrl: config.devServerUrl };
  let win: ShellWindow | undefined;

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  const ready = app.whenReady().then(() => {
    const dataDir = config.dataDir ?? app.getPath('userData');
    const services = config.compose({ dataDir, modelsDir: config.modelsDir });
    applySessionPolicy(electron.session.defaultSession, origin, config.log);
    const unprotocol = registerCaseProtocol(
      electron.protocol,
      services.resolveCaseFile ?? caseStoreResolver(dataDir),
    );

    const created = new electron.BrowserWindow(
      windowOptions({ preload: config.preload }, { devTools: config.devTools }),
    );
    win = created;
    created.once('ready-to-show', () => created.show());
    created.on('closed', () => (win = undefined));

    const isTrusted = trustedSender(() => win?.webContents, origin);
    const unipc = registerIpc(
      electron.ipcMain,
      services.router,
      services.events,
      () => win?.webContents,
      (event: IpcMainInvokeEvent) => isTrusted(event),
    );
    const policy = services.paths;
    const undrop = policy
      ? registerDroppedFiles(
          electron.ipcMain,
          (p) => policy.allowRead(p),
          (event: IpcMainInvokeEvent) => isTrusted(event),
        )
      : () => {};

    app.on('window-all-closed', () => {
      unipc();
      undrop();
      unprotocol();
      services.close();
      app.quit();
    });

    const loading = config.devServerUrl
      ? created.loadURL(config.devServerUrl)
      : created.loadFile(join(config.rendererDir, 'index.html'));
    loading.catch((err: unknown) => config.log(`The window failed to load: ${String(err)}`));
  });
  return { primary: true, ready };
}
