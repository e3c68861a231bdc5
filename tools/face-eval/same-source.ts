/**
 * The same-source threshold of comparisons (issue 28): how close the HR embeddings of two *different* photos of one
 * person come, against copies of *one* photo (re-encoded as JPEG, rescaled). A comparison whose run input and
 * reference embed closer than different photos of one person ever do is taken to come from the same photo.
 *
 * eval/celeba, C1 by the fixed CelebA box, the default embedder (mobileface) unless --embedder. Genuine pairs of
 * different photos: every pair among the first --photos photos of each of the first --identities identities.
 * Same-photo pairs: each identity's first photo against itself re-encoded as JPEG quality 60 and rescaled to
 * half size and back (as a still re-saved or re-scaled before import would be), re-cropped by the same box.
 *
 *   FACET_SHARED_DIR=/work/shared nice -n 10 npx tsx tools/face-eval/same-source.ts --identities 200 --photos 4 \
 *     --out docs/results/identity-lr/same-source.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { cropResize } from '../../src/core/eval/crop';
import { cosineSimilarity } from '../../src/core/metrics/stats';
import { CELEBA_BOX, parseManifest } from '../../src/main/eval/faces';
import { DEFAULT_EMBEDDER, FacePipeline } from '../../src/main/face/pipeline';
import type { EmbedderName } from '../../src/core/face/manifest';
import { decodeImage, fromRgb8 } from '../../src/main/imaging/decode';
import { toRgb8 } from '../../src/main/imaging/encode';

const repo = resolve(import.meta.dirname, '../..');
const shared = process.env.FACET_SHARED_DIR ?? resolve(repo, '../shared');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

/** The q-quantile (0..1) of sorted values, linear between ranks. */
function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

async function main(): Promise<void> {
  const identities = Number(arg('identities', '200'));
  const photos = Number(arg('photos', '4'));
  const embedder = arg('embedder', DEFAULT_EMBEDDER) as EmbedderName;
  const dir = join(shared, 'data/eval/celeba');
  const rows = parseManifest(readFileSync(join(dir, 'manifest.csv'), 'utf8'));
  const byId = new Map<string, string[]>();
  for (const r of rows) byId.set(r.identity, [...(byId.get(r.identity) ?? []), r.file]);
  const chosen = [...byId.entries()].filter(([, f]) => f.length >= photos).slice(0, identities);
  const pipe = await FacePipeline.load(resolve(repo, 'models/face'), { threads: 1 });
  const embedBytes = async (bytes: Buffer, name: string) => {
    const { image } = await decodeImage(bytes, name);
    // As the evaluation loads CelebA: the box resampled to 128x128, on the 8-bit grid.
    return pipe.embed(fromRgb8(toRgb8(cropResize(image, CELEBA_BOX, 128)), 128, 128), embedder);
  };
  const genuine: number[] = [];
  const pairFiles: { files: string; score: number }[] = [];
  const samePhoto: number[] = [];
  const t0 = Date.now();
  for (const [, files] of chosen) {
    const vs: Float32Array[] = [];
    for (const f of files.slice(0, photos)) vs.push(await embedBytes(readFileSync(join(dir, f)), f));
    for (let i = 0; i < vs.length; i++)
      for (let j = i + 1; j < vs.length; j++) {
        const score = cosineSimilarity(vs[i]!, vs[j]!);
        genuine.push(score);
        pairFiles.push({ files: `${files[i]} ${files[j]}`, score: Math.round(score * 1e4) / 1e4 });
      }
    const first = readFileSync(join(dir, files[0]!));
    const meta = await sharp(first).metadata();
    const jpeg = await sharp(first).jpeg({ quality: 60 }).toBuffer();
    const half = await sharp(first)
      .resize(Math.round(meta.width! / 2), Math.round(meta.height! / 2))
      .resize(meta.width!, meta.height!)
      .png()
      .toBuffer();
    samePhoto.push(cosineSimilarity(vs[0]!, await embedBytes(jpeg, 'jpeg')));
    samePhoto.push(cosineSimilarity(vs[0]!, await embedBytes(half, 'half')));
  }
  await pipe.close();
  const g = [...genuine].sort((a, b) => a - b);
  const s = [...samePhoto].sort((a, b) => a - b);
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  const report = {
    command: `npx tsx tools/face-eval/same-source.ts ${process.argv.slice(2).join(' ')}`,
    embedder,
    identities: chosen.length,
    photosPerIdentity: photos,
    seconds: Math.round((Date.now() - t0) / 1000),
    differentPhotosSamePerson: {
      pairs: g.length,
      max: r4(g[g.length - 1]!),
      p999: r4(quantile(g, 0.999)),
      p99: r4(quantile(g, 0.99)),
      median: r4(quantile(g, 0.5)),
      /** The closest pairs, to look at: CelebA holds near-duplicate photos of some identities. */
      closest: pairFiles.sort((a, b) => b.score - a.score).slice(0, 8),
    },
    samePhotoReencodedOrRescaled: {
      pairs: s.length,
      min: r4(s[0]!),
      p001: r4(quantile(s, 0.001)),
      median: r4(quantile(s, 0.5)),
    },
  };
  const out = arg('out', '');
  if (out) writeFileSync(resolve(repo, out), JSON.stringify(report, null, 2) + '\n');
  console.log(JSON.stringify(report, null, 2));
}

await main();
