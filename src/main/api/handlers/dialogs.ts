import { FacetError } from '../../../shared/errors';
import type { PathPolicy } from '../../services/import-policy';
import type { Handlers } from '../router';

/** Shows native dialogs: the Electron shell implements it with `dialog`, the E2E harness with paths it controls. */
export interface Dialogs {
  /** Absolute paths of the images the user picked; empty if cancelled. */
  openImages(opts: { title: string; multiple: boolean }): Promise<string[]>;
  /** The absolute path of the folder the user picked, or null if cancelled. */
  chooseFolder(opts: { title: string }): Promise<string | null>;
}

/** The contract's dialog calls: whatever the user picks is allowed by the path policy, nothing else. */
export function dialogHandlers(
  dialogs: Dialogs | null,
  paths: PathPolicy,
): Pick<Handlers, 'dialogs.openImages' | 'dialogs.chooseFolder'> {
  const need = (): Dialogs => {
    if (!dialogs)
      throw new FacetError('conflict', 'File dialogs are not available here; use the command line.');
    return dialogs;
  };
  return {
    'dialogs.openImages': async (input) => {
      const picked = await need().openImages(input);
      for (const p of picked) paths.allowFile(p);
      return { paths: picked };
    },
    'dialogs.chooseFolder': async (input) => {
      const picked = await need().chooseFolder(input);
      if (picked) paths.allowFolder(picked);
      return { path: picked };
    },
  };
}
