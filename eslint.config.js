// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'url', 'http', 'net'];
const nodeModulePatterns = nodeBuiltins.flatMap((m) => [m, `node:${m}`, `${m}/*`, `node:${m}/*`]);

/** Imports point one way: shell/CLI/IPC -> services -> core. Core and shared import nothing of ours above them. */
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
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'core/shared are pure: no Electron.' }],
          patterns: [
            { group: nodeModulePatterns, message: 'core/shared are pure: no Node I/O.' },
            {
              group: ['**/main/**', '**/renderer/**', '**/preload/**', '**/cli/**'],
              message: 'core/shared import nothing above them.',
            },
            {
              group: ['better-sqlite3', 'onnxruntime-node', 'sharp', 'react', 'react-dom'],
              message: 'core/shared are pure.',
            },
          ],
        },
      ],
    },
  },
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
              group: ['**/main/**', '**/preload/**', '**/cli/**'],
              message: 'The renderer reaches main only through the contract.',
            },
            { group: ['better-sqlite3', 'onnxruntime-node', 'sharp'], message: 'Main-side only.' },
          ],
        },
      ],
    },
  },
  {
    files: [
      'src/main/services/**/*.ts',
      'src/main/db/**/*.ts',
      'src/main/inference/**/*.ts',
      'src/cli/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Services, DB, inference and CLI run in plain Node; only the shell imports Electron.',
            },
          ],
          patterns: [
            { group: ['**/renderer/**', '**/preload/**'], message: 'Services do not import the shell.' },
          ],
        },
      ],
    },
  },
);
