/**
 * Smallest detectable face: CelebA photos are shrunk so the distance between the eye centres (from the
 * pipeline's own landmarks at full size) is d px, pasted at the centre of a 512x512 mid-grey canvas, and
 * detected (BlazeFace over the tile pyramid + FaceMesh presence check). A hit is a face whose box centre lies
 * within one eye distance of the true face centre. Writes per-size hit rates and the smallest d with >= 90 %.
 *
 * Usage (repo root):
 *   FACET_SHARED_DIR=<shared> npx tsx tools/face-eval/min-face.ts [--first 120] [--n 10] [--out docs/results/face-min-size.json]
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeImageFile } from '../../src/main/imaging/decode';
import { FacePipeline } from '../../src/main/face/pipeline';
import { pasteScaled } from './canvas';
import { readCelebaManifest } from './celeba';

const repo = resolve(import.meta.dirname, '../..');
const shared = process.env.FACET_SHARED_DIR ?? resolve(repo, '../shared');
const celeba = join(shared, 'data/eval/celeba');
const CANVAS = 512;
const SIZES = [6, 8, 10, 12, 14, 16, 20, 24];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

async function main(): Promise<void> {
  const first = Number(arg('first', '120'));
  const n = Number(arg('n', '10'));
  const outPath = resolve(repo, arg('out', 'docs/results/face-min-size.json'));
  const pipe = await FacePipeline.load(join(repo, 'models/face'));
  const ids = [...readCelebaManifest(celeba).entries()].slice(first, first + n);
  const hits = new Map<number, number>(SIZES.map((d) => [d, 0]));
  // Manual alignment of the same tiny faces: eyes given (true positions), the other three points from
  // FaceMesh on the upscaled region; error in eye distances against the full-size landmarks.
  const manualErr = new Map<number, number[]>(SIZES.map((d) => [d, []]));
  let used = 0;
  for (const [, files] of ids) {
    const { image } = await decodeImageFile(join(celeba, files[0]!));
    const face = (await pipe.detect(image))[0];
    if (!face) continue;
    used++;
    const [re, le] = face.landmarks;
    const iod = Math.hypot(le!.x - re!.x, le!.y - re!.y);
    const centre = { x: face.box.x + face.box.width / 2, y: face.box.y + face.box.height / 2 };
    for (const d of SIZES) {
      const canvas = pasteScaled(image, d / iod, centre, CANVAS);
      const found = await pipe.detect(canvas);
      const ok = found.some(
        (f) =>
          Math.hypot(f.box.x + f.box.width / 2 - CANVAS / 2, f.box.y + f.box.height / 2 - CANVAS / 2) < d,
      );
      if (ok) hits.set(d, hits.get(d)! + 1);
      const s = d / iod;
      const truth = face.landmarks.map((p) => ({
        x: CANVAS / 2 + s * (p.x - centre.x),
        y: CANVAS / 2 + s * (p.y - centre.y),
      }));
      const manual = await pipe.landmarksFromEyes(canvas, truth[0]!, truth[1]!);
      const err = [2, 3, 4].map(
        (k) => Math.hypot(manual.points[k]!.x - truth[k]!.x, manual.points[k]!.y - truth[k]!.y) / d,
      );
      manualErr.get(d)!.push(err.reduce((a, b) => a + b, 0) / err.length);
    }
  }
  await pipe.close();
  const rates = Object.fromEntries(SIZES.map((d) => [d, Math.round((100 * hits.get(d)!) / used)]));
  const reliable = SIZES.find((d) => SIZES.filter((e) => e >= d).every((e) => hits.get(e)! >= 0.9 * used));
  const report = {
    command: `FACET_SHARED_DIR=<shared> npx tsx tools/face-eval/min-face.ts --first ${first} --n ${n}`,
    date: new Date().toISOString(),
    protocol:
      `eval/celeba identities ${first}..${first + n - 1}, first photo each, shrunk so the eye-centre distance ` +
      `is d px, centred on a ${CANVAS}x${CANVAS} grey canvas; detect() with default thresholds`,
    photos: used,
    hitRatePercentByEyeDistancePx: rates,
    smallestReliableEyeDistancePx: reliable ?? null,
    manualLandmarkErrorMedianInEyeDistances: Object.fromEntries(
      SIZES.map((d) => {
        const e = [...manualErr.get(d)!].sort((a, b) => a - b);
        return [d, Math.round(1000 * e[Math.floor(e.length / 2)]!) / 1000];
      }),
    ),
    note: 'A C1 crop spans about 128/35.2 = 3.6 eye distances, so face width ~ 3.6 x eye distance.',
  };
  writeFileSync(outPath, JSON.stringify(report, null, 2) + '\n');
  console.log(JSON.stringify(report, null, 2));
}

await main();
