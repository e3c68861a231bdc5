/** `facet enhance`: argument checks, output files and run.json, determinism across runs and candidate counts. */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { enhanceCommand, parseEnhanceArgs, progressLine } from '../../src/cli/commands/enhance';
import { ReproRecordSchema } from '../../src/shared/contract/run-params';
import { tempDir } from '../helpers/temp-dir';

const ROOT = resolve(import.meta.dirname, '../..');
const SAMPLE = join(ROOT, 'samples/faces/celebahq-00.png');
const tmp = tempDir();
afterAll(() => tmp.remove());

const readJson = (dir: string): { record: unknown; outputs: Record<string, string>; consistency: number[] } =>
  JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));

async function runCli(out: string, ...extra: string[]): Promise<ReturnType<typeof readJson>> {
  const code = await enhanceCommand([
    SAMPLE,
    '--out',
    out,
    '--seed',
    '7',
    '--steps',
    '4',
    '--threads',
    '1',
    '--model',
    'analytic-ve',
    ...extra,
  ]);
  expect(code).toBe(0);
  return readJson(out);
}

describe('parseEnhanceArgs', () => {
  it('turns flags into validated run settings', () => {
    const a = parseEnhanceArgs([
      'f.png',
      '--out',
      'o',
      '--preset',
      'sde-vecs',
      '--steps',
      '100',
      '--snr',
      '0.2',
      '--candidates',
      '2',
      '--seed',
      '9',
      '--provider',
      'cuda',
      '--memory-cap',
      '64',
    ]);
    expect(a).toMatchObject({
      image: 'f.png',
      out: 'o',
      lr16: false,
      memoryCapBytes: 64 * 2 ** 20,
      settings: {
        modelId: 'best',
        preset: 'sde-vecs',
        steps: 100,
        snr: 0.2,
        candidates: 2,
        seed: '9',
        provider: 'cuda',
      },
    });
  });

  it('rejects bad flags with one-line messages naming the flag', () => {
    expect(() => parseEnhanceArgs(['f.png'])).toThrow('Give an output folder with --out DIR.');
    expect(() => parseEnhanceArgs(['--out', 'o'])).toThrow('Give exactly one input image.');
    expect(() => parseEnhanceArgs(['f.png', '--out', 'o', '--preset', 'turbo'])).toThrow(/^--preset: /);
    expect(() => parseEnhanceArgs(['f.png', '--out', 'o', '--candidates', '0'])).toThrow(/^--candidates: /);
    expect(() => parseEnhanceArgs(['f.png', '--out', 'o', '--steps', 'many'])).toThrow(
      '--steps must be a number, not "many".',
    );
    expect(() => parseEnhanceArgs(['f.png', '--out', 'o', '--seed', '1.5'])).toThrow(
      /^--seed: "1.5" is not a seed: give a whole number from 0 to 18446744073709551615, in decimal or in hex/,
    );
    expect(() => parseEnhanceArgs(['f.png', '--out', 'o', '--provider', 'tpu'])).toThrow(/^--provider: /);
    expect(() => parseEnhanceArgs(['f.png', '--out', 'o', '--bogus'])).toThrow(/bogus/);
  });

  it('draws a progress bar with the elapsed and remaining time', () => {
    expect(progressLine({ step: 5, total: 10, nfe: 9, elapsedMs: 3000, etaMs: 3000 }, 10)).toBe(
      '[#####-----] step 5/10  NFE 9  0:03 elapsed  0:03 remaining',
    );
  });
});

describe('facet enhance', () => {
  it('writes every output with its SHA-256 and a valid C7 record; same seed -> same hashes', async () => {
    const a = await runCli(join(tmp.path, 'a'));
    const b = await runCli(join(tmp.path, 'b'));
    const names = [
      'crop.png',
      'lr.png',
      'lr-nearest.png',
      'bicubic.png',
      'candidate-1.png',
      'candidate-2.png',
      'candidate-3.png',
      'candidate-4.png',
      'uncertainty.png',
      'mean.png',
    ];
    expect(Object.keys(a.outputs).sort()).toEqual([...names].sort());
    for (const n of names) {
      const bytes = readFileSync(join(tmp.path, 'a', n));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(a.outputs[n]);
    }
    expect(b.outputs).toEqual(a.outputs);
    const record = ReproRecordSchema.parse(a.record);
    expect(record).toMatchObject({ seed: '7', candidates: 4, provider: 'cpu', threads: 1, preset: 'fast' });
    expect(a.consistency).toHaveLength(4);
    expect(await sharp(join(tmp.path, 'a', 'lr.png')).metadata()).toMatchObject({ width: 16, height: 16 });
    expect(await sharp(join(tmp.path, 'a', 'lr-nearest.png')).metadata()).toMatchObject({
      width: 128,
      height: 128,
    });
  });

  it('candidate 1 is identical with --candidates 1 and --candidates 4; a 16x16 LR input works with --lr16', async () => {
    const four = await runCli(join(tmp.path, 'four'));
    const one = await runCli(join(tmp.path, 'one'), '--candidates', '1');
    expect(one.outputs['candidate-1.png']).toBe(four.outputs['candidate-1.png']);
    expect(one.outputs['candidate-2.png']).toBeUndefined();
    // The LR written by the first run, fed back with --lr16, reproduces the same candidates (same LR, same seed).
    const lr16 = await enhanceCommand([
      join(tmp.path, 'four', 'lr.png'),
      '--lr16',
      '--out',
      join(tmp.path, 'lr16'),
      '--seed',
      '7',
      '--steps',
      '4',
      '--threads',
      '1',
      '--model',
      'analytic-ve',
    ]);
    expect(lr16).toBe(0);
    const fromLr = readJson(join(tmp.path, 'lr16'));
    expect(fromLr.outputs['candidate-4.png']).toBe(four.outputs['candidate-4.png']);
    expect(fromLr.outputs['lr.png']).toBe(four.outputs['lr.png']);
    // The LR is the face (method lr16): no crop, in run.json, in --out or in the record.
    expect(fromLr.outputs['crop.png']).toBeUndefined();
    expect(ReproRecordSchema.parse(fromLr.record).inputCropSha256).toBeNull();
    expect(
      (JSON.parse(readFileSync(join(tmp.path, 'lr16', 'run.json'), 'utf8')) as { face: unknown }).face,
    ).toMatchObject({ method: 'lr16' });
  });

  it('exits non-zero with a one-line message on error', async () => {
    const run = promisify(execFile);
    const err = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'src/cli/facet.ts'),
        'enhance',
        join(tmp.path, 'missing.png'),
        '--out',
        join(tmp.path, 'x'),
      ],
      { cwd: ROOT },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 1 });
    const lines = (err as { stderr: string }).stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^facet: Cannot read .*missing.png: no such file\.$/);
    expect(lines.filter((l) => l.startsWith('facet:'))).toHaveLength(1);
  });
});
