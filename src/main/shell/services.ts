/** The app's services for the Electron shell: the composition root over the shell's data and models folders. */
import { defaultModelDirs } from '../inference/registry';
import { repoRoot } from '../inference/paths';
import { composeRoot, type Root } from '../root';
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

/** composeRoot with the shell's models folder (and, in development, the analytic test models) and native dialogs. */
export function composeShellServices(options: ShellServicesOptions): Root {
  return composeRoot({
    dataDir: options.dataDir,
    modelDirs: options.isPackaged
      ? [{ dir: options.modelsDir, test: false }]
      : [
          { dir: options.modelsDir, test: false },
          { dir: defaultModelDirs(repoRoot()).testModels, test: true },
        ],
    dialogs: options.dialogs,
    onInternalError: options.onInternalError,
    ...(options.secretBox ? { secretBox: options.secretBox } : {}),
  });
}
