import { describe, expect, it } from 'vitest';
import { windowOptions } from '../../../src/main/window/window-options';

describe('window options', () => {
  it('isolate and sandbox the renderer, with no Node and no webview', () => {
    const o = windowOptions({ preload: '/app/out/preload/index.cjs' }, { devTools: false });
    expect(o.show).toBe(false);
    expect(o.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
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
      devTools: false,
    });
  });

  it('turn DevTools on only when asked (development)', () => {
    expect(windowOptions({ preload: 'p' }, { devTools: true }).webPreferences?.devTools).toBe(true);
  });
});
