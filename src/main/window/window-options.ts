import type { BrowserWindowConstructorOptions } from 'electron';

/** Files the window needs, resolved by the caller from the built app's folder. */
export interface WindowPaths {
  /** The sandboxed preload bundle (CommonJS). */
  readonly preload: string;
}

/** Switches that differ between development and a packaged build. */
export interface WindowFlags {
  /** DevTools are available in development only. */
  readonly devTools: boolean;
}

/**
 * The options of the app's one window: the renderer runs sandboxed, isolated from the preload, without
 * Node, with web security on and no `<webview>`, spell checker (which downloads dictionaries) or
 * experimental features.
 */
export function windowOptions(paths: WindowPaths, flags: WindowFlags): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Facet SR',
    backgroundColor: '#1e1f22',
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: flags.devTools,
    },
  };
}
