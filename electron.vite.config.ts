import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import { withDevCsp } from './src/main/security/csp';
import { rendererConfig } from './vite.renderer.config';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          // worker_threads entry of the inference engine (src/main/inference/engine.ts finds it next to index.js).
          'inference-worker': resolve(import.meta.dirname, 'src/main/inference/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload must be CommonJS and self-contained: it may require only 'electron'.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    plugins: [
      ...(rendererConfig.plugins ?? []),
      // Dev server only: allow Vite's inline React-refresh preamble and HMR socket. Builds keep the strict CSP.
      { name: 'facet-dev-csp', apply: 'serve', transformIndexHtml: (html: string) => withDevCsp(html) },
    ],
  },
});
