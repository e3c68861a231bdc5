/** A 250x250 still with the shipped sample face in it, so that the face has to be found and aligned. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

const SAMPLE = join(import.meta.dirname, '..', '..', 'samples', 'faces', 'celebahq-00.png');

/** Writes the still as PNG to `path` and returns the path. */
export async function writeStillWithFace(path: string): Promise<string> {
  const face = await sharp(SAMPLE).resize(150, 150).toBuffer();
  const still = await sharp(face)
    .extend({ left: 50, right: 50, top: 50, bottom: 50, extendWith: 'copy' })
    .png()
    .toBuffer();
  writeFileSync(path, still);
  return path;
}
