/** Builds real cases for backend tests: images on disk, evidence, an aligned face and runs. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { App } from '../../src/main/compose';
import type { RgbImage } from '../../src/core/image/types';
import type { Face } from '../../src/shared/contract';

/** A smooth synthetic RGB image (float in [0,1]); `q` quantises to 8 bit (as C2's LR is). */
export function synthImage(width: number, height: number, phase = 0, q = false): RgbImage {
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let v =
          0.5 + 0.4 * Math.sin((x + 2 * y) / (width / 6) + c + phase) * Math.cos(y / (height / 3) - phase);
        if (q) v = Math.round(v * 255) / 255;
        data[(y * width + x) * 3 + c] = v;
      }
    }
  }
  return { width, height, data };
}

/** Writes a PNG photo of the given size to `dir/name` and returns its path. */
export async function writePhoto(
  dir: string,
  name: string,
  width = 96,
  height = 96,
  phase = 0,
): Promise<string> {
  const img = synthImage(width, height, phase);
  const bytes = Buffer.alloc(width * height * 3);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(img.data[i]! * 255);
  const path = join(dir, name);
  const enc = sharp(bytes, { raw: { width, height, channels: 3 } });
  writeFileSync(path, await (name.endsWith('.jpg') ? enc.jpeg() : enc.png()).toBuffer());
  return path;
}

/** A case with one probe photo, one reference photo and one aligned face. */
export async function caseWithFace(
  app: App,
  photoDir: string,
): Promise<{ caseId: string; evidenceId: string; referenceId: string; face: Face }> {
  app.paths.allowFolder(photoDir);
  const c = app.cases.create({ name: 'Robbery 2026-0413' });
  const probe = await app.evidence.import({
    caseId: c.id,
    path: await writePhoto(photoDir, 'still.png'),
    role: 'probe',
  });
  const ref = await app.evidence.import({
    caseId: c.id,
    path: await writePhoto(photoDir, 'suspect.jpg', 80, 80, 1),
    role: 'reference',
  });
  const face = await app.faces.storeAligned({
    evidenceId: probe.evidence.id,
    method: 'manual',
    points: [
      { x: 30, y: 40 },
      { x: 60, y: 40 },
      { x: 45, y: 55 },
      { x: 33, y: 70 },
      { x: 58, y: 70 },
    ],
    transform: [1.2, 0.05, -3, -0.05, 1.2, 4],
    crop: synthImage(128, 128, 0.3),
    lr: synthImage(16, 16, 0.3, true),
  });
  return { caseId: c.id, evidenceId: probe.evidence.id, referenceId: ref.evidence.id, face };
}

/** Waits until `pred` holds (polling), or fails after `ms`. */
export async function until(pred: () => boolean, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
