import { FacetError } from '../../../shared/errors';
import type { PathPolicy } from '../../services/import-policy';
import type { FileDialogs } from '../../shell/dialogs';
import type { Handlers } from '../router';

type DialogCalls = 'dialogs.openImages' | 'dialogs.openFile' | 'dialogs.saveFile';

/** The native dialogs: whatever the user picks becomes readable (open) or writable (save) by main. */
export function dialogHandlers(dialogs: FileDialogs | null, paths: PathPolicy): Pick<Handlers, DialogCalls> {
  const need = (): FileDialogs => {
    if (!dialogs)
      throw new FacetError('invalid-input', 'File dialogs are available only in the desktop app.');
    return dialogs;
  };
  // Opened paths become readable only, saved ones writable only.
  const allow = (chosen: string[], access: 'read' | 'write') => {
    for (const p of chosen) paths.allowFile(p, access);
    return { paths: chosen };
  };
  return {
    'dialogs.openImages': async (input) =>
      allow(await need().openImages({ multiple: input.multiple }), 'read'),
    'dialogs.openFile': async (input) => allow(await need().openFile(input.kind), 'read'),
    'dialogs.saveFile': async (input) => allow(await need().saveFile(input.suggestedName), 'write'),
  };
}
