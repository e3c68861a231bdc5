/** Every keyboard shortcut of the app, in one list, so the help overlay shows exactly what is bound. */

/** One shortcut: the key combination (Mantine hotkey syntax) and what it does, in plain words. */
export interface Shortcut {
  readonly keys: string;
  readonly label: string;
  readonly group: 'General' | 'Case' | 'Viewer';
}

/** The app-wide and viewer shortcuts. `mod` is Ctrl (Cmd on macOS). */
export const SHORTCUTS = {
  help: { keys: 'shift+?', label: 'Show this list of shortcuts', group: 'General' },
  theme: { keys: 'mod+shift+L', label: 'Switch between light and dark theme', group: 'General' },
  cases: { keys: 'mod+shift+H', label: 'Go to the case list', group: 'General' },
  newCase: { keys: 'mod+N', label: 'New case (on the case list)', group: 'General' },
  tab1: { keys: 'mod+1', label: 'Evidence tab', group: 'Case' },
  tab2: { keys: 'mod+2', label: 'Faces tab', group: 'Case' },
  tab3: { keys: 'mod+3', label: 'Runs tab', group: 'Case' },
  tab4: { keys: 'mod+4', label: 'Compare tab', group: 'Case' },
  tab5: { keys: 'mod+5', label: 'Reports tab', group: 'Case' },
  tab6: { keys: 'mod+6', label: 'Audit tab', group: 'Case' },
  zoomIn: { keys: '=', label: 'Zoom in (all images together)', group: 'Viewer' },
  zoomOut: { keys: '-', label: 'Zoom out', group: 'Viewer' },
  zoomReset: { keys: '0', label: 'Fit images', group: 'Viewer' },
  flicker: { keys: 'F', label: 'Flicker compare on / off', group: 'Viewer' },
  slider: { keys: 'B', label: 'Before / after slider on / off', group: 'Viewer' },
} as const satisfies Record<string, Shortcut>;

/** Shows a hotkey the way people read it: "Ctrl + Shift + L", "?". */
export function displayKeys(keys: string, isMac: boolean): string {
  if (keys === 'shift+?') return '?';
  return keys
    .split('+')
    .map((k) => (k === 'mod' ? (isMac ? '⌘' : 'Ctrl') : k.length === 1 ? k.toUpperCase() : cap(k)))
    .join(' + ');
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
