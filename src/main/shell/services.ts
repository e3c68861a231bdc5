/** Builds the app's services for the Electron shell: the real inference engine, face models, provenance, dialogs. */
import { join } from 'node:path';
import { composeApp, type App } from '../compose';
import { InferenceEngine } from '../inference/engine';
import { createInferenceExecutor } from '../inference/executor';
import { appVersion, repoRoot } from '../inference/paths';
import { manifestProvenance } from '../inference/provenance';
import { defaultModelDirs, ModelRegistry, scanModels } from '../inference/registry';
import type { SecretBox } from '../signing/audit-key';
import type { FileDialogs } from './dialogs';

/** Where the shell's services live and what it hands them. */
export interface ShellServicesOptions {
  readonly dataDir: string;
  /** The models folder (app-paths.ts): score models at its top, face models in `face/`. */
  readonly modelsDir: string;
  /** Packaged apps use only the shipped models; development also finds the analytic test models. */
  readonly isPackaged: boolean;
  readonly dialogs?: FileDialogs;
  readonly onInternalError?: (err: unknown) => void;
  /** Seals the audit signing key (Electron's safeStorage, once the app is ready). */
  readonly secretBox?: SecretBox;
}

/**
 * composeApp with the inference worker as its executor and face-model host, the app version and model provenance for reports,
 * the face models folder and the native dialogs; closing it also stops the worker.
 */
export function composeShellServices(options: ShellServicesOptions): App {
  const dirs = options.isPackaged
    ? [{ dir: options.modelsDir, test: false }]
    : [
        { dir: options.modelsDir, test: false },
        { dir: defaultModelDirs(repoRoot()).testModels, test: true },
      ];
  const registry = new ModelRegistry(scanModels(dirs).models.filter((m) => m.manifest.id !== 'fault'));
  const faceModelsDir = join(options.modelsDir, 'face');
  // One worker host for sampling and the face models: main only orchestrates.
  const engine = new InferenceEngine();
  const executor = createInferenceExecutor({ registry, engine });
  const app = composeApp({
    dataDir: options.dataDir,
    executor,
    inferenceEngine: engine,
    appVersion: appVersion(),
    modelProvenance: manifestProvenance([...dirs.map((d) => d.dir), faceModelsDir]),
    faceModelsDir,
    dialogs: options.dialogs,
    onInternalError: options.onInternalError,
    ...(options.secretBox ? { secretBox: options.secretBox } : {}),
  });
  return {
    ...app,
    close: () => {
      app.close();
      void executor.close();
    },
  };
}
