import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
};
const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies ?? {}),
];

/** Builds the `facet` CLI (and its inference worker) as Node ESM files; runtime dependencies stay external. */
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: {
      // The inference worker is its own entry: worker_threads loads it from a file next to facet.js.
      input: {
        facet: resolve(import.meta.dirname, 'src/cli/facet.ts'),
        'inference-worker': resolve(import.meta.dirname, 'src/main/inference/worker.ts'),
      },
      external: (id) => external.some((e) => id === e || id.startsWith(`${e}/`)),
      output: { entryFileNames: '[name].js', format: 'es' },
    },
  },
});
