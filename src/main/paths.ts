import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The default data folder, the same one Electron's `userData` gives for this app, so the desktop app and
 * the CLI see the same cases. FACET_DATA_DIR overrides it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.FACET_DATA_DIR) return env.FACET_DATA_DIR;
  const home = homedir();
  switch (platform) {
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Facet SR');
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Facet SR');
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Facet SR');
  }
}
