/**
 * `facet enhance` on stills as a new user has them: photos that need detection and alignment, in every colour
 * model, depth and container the app accepts, plus placed points, face choice and the edges (non-regular input,
 * bad --out, 64-bit hex seeds). The stills are made here from a shipped sample face; sampling uses the analytic
 * test model and two steps, so what is checked is the path from still to candidates, not SR quality.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enhanceCommand, parseEnhanceArgs, type EnhanceDeps } from '../../src/cli/commands/enhance';
import { prepareOutDir } from '../../src/cli/out-dir';
import { InferenceEngine } from '../../src/main/inference/engine';
import { ReproRecordSchema } from '../../src/shared/contract/run-params';
import { tempDir } from '../helpers/temp-dir';

const ROOT = resolve(import.meta.dirname, '../..');
const SAMPLE = join(ROOT, 'samples/faces/celebahq-00.png');
const tmp = tempDir();
let deps: EnhanceDeps & { engine: InferenceEngine };
/** Luma of the crop aligned from the plain 250x250 PNG photo: what every other kind of still must reproduce. */
let reference: Float64Array;

beforeAll(async () => {
  deps = {
    engine: new InferenceEngine(),
  };
  const plain = await write('plain.png', (await photo(150, 250, 250)).png());
  await enhanceTo(plain, join(tmp.path, 'plain'));
  reference = await luma(join(tmp.path, 'plain', 'crop.png'));
});
afterAll(async () => {
  await deps.engine.close();
  tmp.remove();
});

/** The sample face (an aligned 128x128 crop) enlarged to `size` and set into a `w`x`h` photo (edges extended). */
async function photo(size: number, w: number, h: number, sample = 'celebahq-00.png'): Promise<Sharp> {
  const face = await sharp(join(ROOT, 'samples/faces', sample))
    .resize(size, size)
    .toBuffer();
  const l = Math.floor((w - size) / 2);
  const t = Math.floor((h - size) / 2);
  const canvas = await sharp(face)
    .extend({ left: l, right: w - size - l, top: t, bottom: h - size - t, extendWith: 'copy' })
    .png()
    .toBuffer();
  return sharp(canvas);
}

async function write(name: string, s: Sharp): Promise<string> {
  const path = join(tmp.path, name);
  writeFileSync(path, await s.toBuffer());
  return path;
}

/** Luma of an 8-bit RGB image file, resized to 32x32 (small misalignments of fine detail do not count). */
async function luma(path: string): Promise<Float64Array> {
  const { data } = await sharp(path).resize(32, 32).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const out = new Float64Array(32 * 32);
  for (let i = 0; i < out.length; i++)
    out[i] = (0.299 * data[3 * i]! + 0.587 * data[3 * i + 1]! + 0.114 * data[3 * i + 2]!) / 255;
  return out;
}
const mad = (a: Float64Array, b: Float64Array): number =>
  a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;

const FAST = ['--model', 'analytic-ve', '--steps', '2', '--candidates', '1', '--threads', '1', '--seed', '5'];

async function enhanceTo(file: string, out: string, ...extra: string[]) {
  const code = await enhanceCommand([file, '--out', out, ...FAST, ...extra], deps);
  expect(code).toBe(0);
  return JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as {
    record: unknown;
    outputs: Record<string, string>;
    input: { format: string; bitDepth: number; notes: string[] };
    face: { method: string; face?: number; detected?: number; box?: { width: number } };
  };
}

describe('facet enhance on any still', () => {
  let yardstick: number;
  beforeAll(async () => {
    const other = await write('other.png', (await photo(150, 250, 250, 'celebahq-01.png')).png());
    await enhanceTo(other, join(tmp.path, 'other'));
    yardstick = mad(await luma(join(tmp.path, 'other', 'crop.png')), reference);
    // The reference crop is the sample's face: nearer to it than to the other samples.
    const toSample = (k: number) =>
      luma(join(ROOT, `samples/faces/celebahq-0${k}.png`)).then((l) => mad(reference, l));
    const [d0, d1, d2] = await Promise.all([0, 1, 2].map(toSample));
    expect(d0).toBeLessThan(Math.min(d1!, d2!));
  });

  const kinds: Array<[string, () => Promise<string>, RegExp | null]> = [
    [
      'a 250x250 LFW-style photo (JPEG)',
      async () => write('lfw.jpg', (await photo(150, 250, 250)).jpeg({ quality: 95 })),
      null,
    ],
    [
      'a 178x218 CelebA-style photo',
      async () => write('celeba.jpg', (await photo(120, 178, 218)).jpeg({ quality: 95 })),
      null,
    ],
    [
      'a grayscale photo',
      async () => write('gray.png', (await photo(150, 250, 250)).toColourspace('b-w').png()),
      /grayscale/,
    ],
    [
      'a 16-bit photo',
      async () => write('deep.png', (await photo(150, 250, 250)).toColourspace('rgb16').png()),
      /16-bit/,
    ],
    [
      'a CMYK photo',
      async () => write('cmyk.jpg', (await photo(150, 250, 250)).toColourspace('cmyk').jpeg()),
      /CMYK/,
    ],
    [
      'an RGBA photo',
      async () => write('rgba.png', (await photo(150, 250, 250)).ensureAlpha(1).png()),
      /alpha/,
    ],
    [
      'an EXIF-rotated photo (pixels stored sideways, orientation 6)',
      async () => {
        const sideways = await (await photo(150, 250, 300)).rotate(-90).png().toBuffer();
        const path = await write(
          'exif.jpg',
          sharp(sideways).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }),
        );
        expect(await sharp(path).metadata()).toMatchObject({ orientation: 6, width: 300, height: 250 });
        return path;
      },
      /EXIF orientation 6/,
    ],
    ['a TIFF photo', async () => write('photo.tiff', (await photo(150, 250, 250)).tiff()), null],
    [
      'a unicode-named photo',
      async () => write('visage-顔-é ü.png', (await photo(150, 250, 250)).png()),
      null,
    ],
  ];

  it.each(kinds)('%s: detects, aligns and enhances the face', async (_label, make, note) => {
    const file = await make();
    const out = join(tmp.path, `out-${_label.replace(/[^a-z0-9]+/gi, '-')}`);
    const run = await enhanceTo(file, out);
    expect(run.face).toMatchObject({ method: 'auto', face: 1, detected: 1 });
    if (note) expect(run.input.notes.join('; ')).toMatch(note);
    for (const n of ['crop.png', 'lr.png', 'bicubic.png', 'candidate-1.png', 'uncertainty.png']) {
      expect(existsSync(join(out, n))).toBe(true);
    }
    expect(ReproRecordSchema.parse(run.record)).toMatchObject({ seed: '5', candidates: 1 });
    // The aligned crop is the one the plain PNG photo gives (same face, same C1 framing, whatever the container,
    // colour model, depth, orientation or face size): a sideways, unaligned or mis-decoded crop would be far off.
    // Another sample face aligned the same way is the yardstick of "far".
    const crop = await luma(join(out, 'crop.png'));
    expect(mad(crop, reference)).toBeLessThan(Math.min(0.03, yardstick / 3));
  });

  it('takes the largest face by default, another with --face N, and says when there is no such face', async () => {
    const big = await sharp(SAMPLE).resize(150, 150).toBuffer();
    const small = await sharp(join(ROOT, 'samples/faces/celebahq-01.png')).resize(100, 100).toBuffer();
    const two = await write(
      'two.png',
      sharp({ create: { width: 320, height: 200, channels: 3, background: '#7a7a7a' } })
        .composite([
          { input: small, left: 10, top: 50 },
          { input: big, left: 160, top: 25 },
        ])
        .png(),
    );
    const def = await enhanceTo(two, join(tmp.path, 'two-default'));
    expect(def.face.detected).toBe(2);
    const other = def.face.face === 1 ? 2 : 1;
    const chosen = await enhanceTo(two, join(tmp.path, 'two-other'), '--face', String(other));
    expect(chosen.face.face).toBe(other);
    expect(def.face.box!.width).toBeGreaterThan(chosen.face.box!.width);
    expect(mad(await luma(join(tmp.path, 'two-default', 'crop.png')), reference)).toBeLessThan(0.03);
    await expect(
      enhanceCommand([two, '--out', join(tmp.path, 'two-x'), ...FAST, '--face', '3'], deps),
    ).rejects.toThrow('--face 3: 2 face(s) were found in two.png, numbered 1 to 2.');
  });

  it('aligns from placed points without detecting, and refuses a photo with no face', async () => {
    const file = await write('placed.png', await photo(150, 250, 250).then((s) => s.png()));
    const noDetect: EnhanceDeps = {
      ...deps,
      faceModels: { detect: () => Promise.reject(new Error('detected')), close: async () => {} },
    };
    const ref = JSON.parse(readFileSync(join(tmp.path, 'plain', 'run.json'), 'utf8')) as {
      face: { points: { x: number; y: number }[] };
    };
    const pts = ref.face.points.map((p) => `${p.x},${p.y}`).join(',');
    const code = await enhanceCommand(
      [file, '--out', join(tmp.path, 'placed'), ...FAST, '--points', pts],
      noDetect,
    );
    expect(code).toBe(0);
    // Placed where the detector put the five landmarks in the same photo, the crop is the reference crop again.
    expect(mad(await luma(join(tmp.path, 'placed', 'crop.png')), reference)).toBeLessThan(0.03);
    const blank = await write(
      'blank.png',
      sharp({ create: { width: 200, height: 200, channels: 3, background: '#8090a0' } }).png(),
    );
    await expect(enhanceCommand([blank, '--out', join(tmp.path, 'blank'), ...FAST], deps)).rejects.toThrow(
      /^No face was found in blank.png \(200x200\); place the eye centres with --points/,
    );
    await expect(
      enhanceCommand([file, '--out', join(tmp.path, 'p'), ...FAST, '--points', '1,2,3'], deps),
    ).rejects.toThrow(/--points takes 2 points .* got 3 numbers/);
    await expect(
      enhanceCommand([file, '--out', join(tmp.path, 'p'), ...FAST, '--points', '1,2,900,2'], deps),
    ).rejects.toThrow('--points: (900, 2) lies outside the 250x250 image.');
  });
});

describe('facet enhance edges', () => {
  it('refuses a FIFO, a device and a folder as input at once, without reading them', async () => {
    const fifo = join(tmp.path, 'pipe.png');
    execFileSync('mkfifo', [fifo]);
    const out = join(tmp.path, 'edge');
    // A read of a FIFO with no writer would hang: the test's timeout would catch it.
    await expect(enhanceCommand([fifo, '--out', out, ...FAST], deps)).rejects.toThrow(
      `${fifo} is a FIFO (named pipe), not a regular file; give an image file.`,
    );
    await expect(enhanceCommand(['/dev/zero', '--out', out, ...FAST], deps)).rejects.toThrow(
      '/dev/zero is a device, not a regular file; give an image file.',
    );
    await expect(enhanceCommand([tmp.path, '--out', out, ...FAST], deps)).rejects.toThrow(/it is a folder/);
  });

  it('gives one clear line for an --out that is not a writable folder', () => {
    const file = join(tmp.path, 'a-file.txt');
    writeFileSync(file, 'x');
    expect(() => prepareOutDir('/proc/facet-out')).toThrow(
      '--out /proc/facet-out is inside /proc, a system folder; choose a folder on a disk.',
    );
    expect(() => prepareOutDir('/sys/kernel/facet')).toThrow(/inside \/sys, a system folder/);
    expect(() => prepareOutDir(file)).toThrow(`--out ${file}: it is a file, not a folder.`);
    expect(() => prepareOutDir(join(file, 'sub'))).toThrow(
      `--out ${join(file, 'sub')}: a part of the path is a file, not a folder.`,
    );
    expect(prepareOutDir(join(tmp.path, 'new', 'deep'))).toBe(join(tmp.path, 'new', 'deep'));
  });

  it('accepts any 64-bit seed in decimal or hex and says what it accepts otherwise', () => {
    const seed = (s: string) => parseEnhanceArgs(['f.png', '--out', 'o', `--seed=${s}`]).settings.seed;
    expect(seed('0x10')).toBe('16');
    expect(seed('0xFFFFFFFFFFFFFFFF')).toBe('18446744073709551615');
    expect(seed('18446744073709551615')).toBe('18446744073709551615');
    expect(seed('0')).toBe('0');
    for (const bad of ['18446744073709551616', '0x1ffffffffffffffff', '-1', '1.5', '0xg', 'seven']) {
      expect(() => seed(bad)).toThrow(
        `--seed: "${bad}" is not a seed: give a whole number from 0 to 18446744073709551615, in decimal or in hex with 0x (up to 0xffffffffffffffff).`,
      );
    }
  });
});
