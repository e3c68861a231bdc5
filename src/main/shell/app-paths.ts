import { join } from 'node:path';

/** Folders and files of the running app. */
export interface AppPaths {
  /** The built renderer (index.html and assets). */
  readonly rendererDir: string;
  /** The sandboxed preload bundle. */
  readonly preload: string;
  /** The ONNX models and manifests: `<repo>/models` in development, `<resources>/models` when packaged. */
  readonly modelsDir: string;
}

/** Where the app finds its parts, given the folder of the built main script (`out/main`). */
export function appPaths(options: { mainDir: string; isPackaged: boolean; resourcesPath: string }): AppPaths {
  return {
    rendererDir: join(options.mainDir, '..', 'renderer'),
    preload: join(options.mainDir, '..', 'preload', 'index.cjs'),
    // electron-builder.yml copies models/ to extraResources, outside the asar archive.
    modelsDir: options.isPackaged
      ? join(options.resourcesPath, 'models')
      : join(options.mainDir, '..', '..', 'models'),
  };
}
