/** Writes one enhancement's files (crop.png when there is a crop, lr.png, lr-nearest.png, bicubic.png, candidate-<k>.png numbered from 1 as in the app, uncertainty.png, run.json). */
import { candidateMean, MIN_CANDIDATES_FOR_MEAN } from '../../core/image/candidate-mean';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RgbImage } from '../../core/image/types';
import { ReproRecordSchema, type ReproRecord } from '../../shared/contract/run-params';
import { sha256Hex } from '../crypto';
import { encodePng, enlargeNearest } from './encode';

/** The images of one run. */
export interface EnhanceImages {
  /** The aligned 128x128 crop the LR was formed from (written as crop.png), or null for a 16x16 LR input. */
  readonly crop?: RgbImage | null;
  readonly lr: RgbImage;
  readonly bicubic: RgbImage;
  readonly candidates: readonly RgbImage[];
  readonly uncertainty: RgbImage;
}

/** What run.json holds: the C7 record, every output file's SHA-256, and whatever else the caller adds. */
export interface RunJson {
  readonly record: ReproRecord;
  readonly outputs: Record<string, string>;
  readonly [key: string]: unknown;
}

/** Writes the images as PNG and run.json into `dir`; returns run.json's content. */
export async function writeEnhanceOutputs(
  dir: string,
  images: EnhanceImages,
  record: ReproRecord,
  extra: Record<string, unknown> = {},
): Promise<RunJson> {
  const valid = ReproRecordSchema.parse(record);
  await mkdir(dir, { recursive: true });
  const files: [string, RgbImage, boolean][] = [
    ...(images.crop ? [['crop.png', images.crop, false] as [string, RgbImage, boolean]] : []),
    ['lr.png', images.lr, false],
    ['lr-nearest.png', enlargeNearest(images.lr, Math.round(128 / images.lr.width)), false],
    ['bicubic.png', images.bicubic, false],
    ...images.candidates.map((c, k): [string, RgbImage, boolean] => [`candidate-${k + 1}.png`, c, true]),
    ['uncertainty.png', images.uncertainty, true],
    // The candidate mean, as a run in a case stores it (runs with two or more candidates).
    ...(images.candidates.length >= MIN_CANDIDATES_FOR_MEAN
      ? [['mean.png', candidateMean(images.candidates), true] as [string, RgbImage, boolean]]
      : []),
  ];
  const outputs: Record<string, string> = {};
  for (const [name, img, generated] of files) {
    const png = await encodePng(img, { generated });
    await writeFile(join(dir, name), png);
    outputs[name] = sha256Hex(png);
  }
  const runJson: RunJson = { ...extra, record: valid, outputs };
  await writeFile(join(dir, 'run.json'), `${JSON.stringify(runJson, null, 2)}\n`);
  return runJson;
}
