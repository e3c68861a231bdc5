// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'url', 'http', 'net'];
const nodeModulePatterns = nodeBuiltins.flatMap((m) => [m, `node:${m}`, `${m}/*`, `node:${m}/*`]);

const electron = (message) => ({ name: 'electron', message });
const ours = (dirs, message) => ({ group: dirs.map((d) => `**/${d}/**`), message });
const native = ['better-sqlite3', 'onnxruntime-node', 'sharp'];

/**
 * One zone per layer, each listing what it must not import (a file belongs to exactly one zone):
 *   core <- shared <- {db, store, imaging, face, inference} <- services <- root <- {api, cli, shell} ;
 *   renderer -> shared only. The CLI reaches inference only through the composition root (src/main/root.ts).
 * Core imports nothing of ours; shared imports only core; inference never imports services (the runs service calls
 * the executor, not the other way); services never import the shell, the CLI or the IPC layer.
 */
function zone(files, restricted, extra = {}) {
  return {
    files,
    ...extra,
    rules: { ...(extra.rules ?? {}), 'no-restricted-imports': ['error', restricted] },
  };
}
export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-output/**', 'training/**', 'models/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  zone(['src/core/**/*.ts'], {
    paths: [electron('core is pure: no Electron.')],
    patterns: [
      { group: nodeModulePatterns, message: 'core is pure: no Node I/O.' },
      ours(
        ['shared', 'main', 'renderer', 'preload', 'cli'],
        'core imports nothing of ours above it (shared imports core).',
      ),
      { group: [...native, 'react', 'react-dom'], message: 'core is pure.' },
    ],
  }),
  zone(['src/shared/**/*.ts'], {
    paths: [electron('shared is pure: no Electron.')],
    patterns: [
      { group: nodeModulePatterns, message: 'shared is pure: no Node I/O.' },
      ours(['main', 'renderer', 'preload', 'cli'], 'shared imports only core.'),
      { group: [...native, 'react', 'react-dom'], message: 'shared is pure.' },
    ],
  }),
  zone(['src/main/db/**/*.ts', 'src/main/store/**/*.ts', 'src/main/imaging/**/*.ts'], {
    paths: [electron('Storage and imaging run in plain Node.')],
    patterns: [
      ours(
        ['services', 'inference', 'api', 'ipc', 'shell', 'window', 'security', 'renderer', 'preload', 'cli'],
        'db, store and imaging sit below the services and inference.',
      ),
    ],
  }),
  zone(['src/main/inference/**/*.ts'], {
    paths: [electron('Inference runs in plain Node (and its worker thread).')],
    patterns: [
      ours(
        ['services', 'db', 'api', 'ipc', 'shell', 'window', 'security', 'renderer', 'preload', 'cli'],
        'Inference executes plans; it does not import the services, the database or the shell.',
      ),
    ],
  }),
  zone(['src/main/services/**/*.ts'], {
    paths: [electron('Services run in plain Node; only the shell imports Electron.')],
    patterns: [
      ours(
        ['api', 'ipc', 'shell', 'window', 'security', 'renderer', 'preload', 'cli'],
        'Services do not import the router, the shell or the CLI.',
      ),
    ],
  }),
  zone(['src/cli/**/*.ts'], {
    paths: [electron('The CLI runs in plain Node.')],
    patterns: [
      ours(
        ['renderer', 'preload', 'shell', 'ipc', 'window', 'security', 'db', 'inference'],
        'The CLI goes through the contract and the composition root (src/main/root.ts), not the shell, the ' +
          'database or the inference engine.',
      ),
    ],
  }),
  zone(['src/main/{shell,ipc,window,security,protocol,api}/**/*.ts', 'src/main/*.ts'], {
    patterns: [ours(['renderer', 'preload', 'cli'], 'Main reaches the renderer only through the contract.')],
  }),
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer reaches main only through the API contract.' }],
          patterns: [
            { group: nodeModulePatterns, message: 'The renderer has no Node access.' },
            {
              group: ['**/main/**', '**/preload/**', '**/cli/**', '../**/core/**'],
              message:
                'The renderer reaches main only through the contract (presets and rules come from main).',
            },
            { group: ['better-sqlite3', 'onnxruntime-node', 'sharp'], message: 'Main-side only.' },
          ],
        },
      ],
    },
  },
);
