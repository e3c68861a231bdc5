/** Writes a results file and everything derived from it: Markdown report, figures as SVG and PNG. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { allFigures } from '../../core/eval/figures';
import type { EvalResults } from '../../core/eval/schema';
import { markdownReport } from '../../core/eval/table';

/** Writes `results.json`, `results.md` and each figure as `.svg` and `.png` into `dir`; returns the file names. */
export async function writeResults(dir: string, results: EvalResults): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const put = (name: string, data: string | Buffer): void => {
    writeFileSync(join(dir, name), data);
    files.push(name);
  };
  put('results.json', `${JSON.stringify(results, null, 2)}\n`);
  put('results.md', markdownReport(results));
  for (const f of allFigures(results)) {
    put(`${f.name}.svg`, f.svg);
    put(`${f.name}.png`, await sharp(Buffer.from(f.svg), { density: 144 }).png().toBuffer());
  }
  return files;
}
