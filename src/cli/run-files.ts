/**
 * A finished run's images as files: `facet run --out DIR` copies the stored PNGs (byte for byte, so their SHA-256
 * is the one the case and the report list) under the names `facet enhance` uses, numbered from 1 as in the app.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Root } from '../main/root';
import type { Run, RunOutput } from '../shared/contract';
import { canonicalRunJson } from './run-json';
import { prepareOutDir } from './out-dir';

/** `candidate-1.png`, `mean.png`, `bicubic.png`, `uncertainty.png`. */
export function outputFileName(o: Pick<RunOutput, 'kind' | 'index'>): string {
  return o.kind === 'candidate' ? `candidate-${o.index + 1}.png` : `${o.kind}.png`;
}

/** Writes the run's outputs and run.json into `dir`; returns the paths written. */
export function writeRunFiles(app: Root, run: Run, dir: string): string[] {
  const out = prepareOutDir(dir);
  const written: string[] = [];
  for (const o of run.outputs) {
    const path = join(out, outputFileName(o));
    writeFileSync(path, app.store.read(run.caseId, o.sha256));
    written.push(path);
  }
  const json = join(out, 'run.json');
  writeFileSync(json, canonicalRunJson(run));
  written.push(json);
  return written;
}

/** Where the run's outputs are stored in the case (read-only, by SHA-256). */
export function storedPaths(app: Root, run: Run): string[] {
  return run.outputs.map((o) => `${outputFileName(o).padEnd(16)}  ${app.store.pathOf(run.caseId, o.sha256)}`);
}
