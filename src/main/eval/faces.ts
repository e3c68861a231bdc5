/**
 * Faces of an evaluation set, mapped into the canonical frame C1 and quantised to 8 bits: `eval/celeba` from its
 * manifest, or a folder of canonical 128x128 PNG crops (what `facet eval --save-crops` writes, so the Python
 * evaluator can score the very same HR pixels).
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ManifestRow } from '../../core/eval/protocol';
import { selectFaces } from '../../core/eval/protocol';
import { cropResize, type CropBox } from '../../core/eval/crop';
import type { RgbImage } from '../../core/image/types';
import { sha256Hex } from '../crypto';
import { decodeImage, fromRgb8 } from '../imaging/decode';
import { encodePng, toRgb8 } from '../imaging/encode';

/** One face ready for evaluation: its HR in the canonical frame (8-bit values) and its provenance. */
export interface LoadedFace {
  readonly file: string;
  readonly identity: string;
  readonly sourceSha256: string;
  readonly hr: RgbImage;
}

/** Probe faces and the gallery of one run, with the set's provenance. */
export interface FaceSet {
  readonly name: string;
  readonly manifestSha256: string;
  readonly frame: string;
  readonly probes: readonly LoadedFace[];
  readonly gallery: readonly LoadedFace[];
}

/**
 * CelebA `img_align_celeba` (178x218) to C1: the fixed box [left, top, right, bottom] that training/frame.py
 * (`BOXES['celeba']`, measured by training/calibrate_frame.py from the set's mean face) uses, resampled to 128x128
 * with the C2 kernel and rounded to 8 bits. The Python evaluator reads the same box through training.frame.
 */
export const CELEBA_BOX: CropBox = [29.63, 56.41, 148.39, 175.16];
const CELEBA_FRAME =
  `fixed box [${CELEBA_BOX.join(', ')}] of img_align_celeba (training/frame.py), resampled to 128x128 with the ` +
  'C2 bicubic kernel, 8-bit';

/** Parses a manifest CSV with `file` and `identity_folder` columns; throws naming the bad line. */
export function parseManifest(text: string): ManifestRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split(',');
  const fi = header.indexOf('file');
  const ii = header.indexOf('identity_folder');
  if (fi < 0 || ii < 0) throw new Error('manifest.csv needs the columns file and identity_folder.');
  return lines.map((l, n) => {
    const cols = l.split(',');
    const file = cols[fi]?.trim();
    const identity = cols[ii]?.trim();
    if (!file || !identity || file.includes('/') || file.includes('..')) {
      throw new Error(`manifest.csv line ${n + 2} is not "file,identity": ${l}`);
    }
    return { file, identity };
  });
}

async function loadCeleba(dir: string, row: ManifestRow): Promise<LoadedFace> {
  const bytes = readFileSync(join(dir, row.file));
  const { image } = await decodeImage(bytes, row.file);
  if (image.width !== 178 || image.height !== 218) {
    throw new Error(`${row.file} is ${image.width}x${image.height}, not the 178x218 of img_align_celeba.`);
  }
  const hr = cropResize(image, CELEBA_BOX, 128);
  return {
    file: row.file,
    identity: row.identity,
    sourceSha256: sha256Hex(bytes),
    hr: fromRgb8(toRgb8(hr), 128, 128),
  };
}

/** Loads `count` probes and the whole gallery of `eval/celeba` (data folder `dir`) per the protocol's selection. */
export async function loadCelebaSet(dir: string, count: number): Promise<FaceSet> {
  const manifestBytes = readFileSync(join(dir, 'manifest.csv'));
  const rows = parseManifest(manifestBytes.toString('utf8'));
  const sel = selectFaces(rows, count);
  const load = (r: ManifestRow): Promise<LoadedFace> => loadCeleba(dir, r);
  return {
    name: 'eval/celeba',
    manifestSha256: sha256Hex(manifestBytes),
    frame: CELEBA_FRAME,
    probes: await Promise.all(sel.probes.map(load)),
    gallery: await Promise.all(sel.gallery.map(load)),
  };
}

/**
 * Loads a crops folder: `manifest.csv` (file,identity_folder,role with role probe|gallery) and 128x128 PNGs in C1.
 * Used for runs that must score the same HR pixels in both evaluators.
 */
export async function loadCropsSet(dir: string): Promise<FaceSet> {
  const manifestBytes = readFileSync(join(dir, 'manifest.csv'));
  const text = manifestBytes.toString('utf8');
  const roles = text
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(',')[2]?.trim());
  const rows = parseManifest(text);
  const files = new Set(readdirSync(dir));
  const load = async (r: ManifestRow): Promise<LoadedFace> => {
    if (!files.has(r.file)) throw new Error(`Crops folder has no ${r.file}.`);
    const bytes = readFileSync(join(dir, r.file));
    const { image } = await decodeImage(bytes, r.file);
    if (image.width !== 128 || image.height !== 128) throw new Error(`${r.file} is not 128x128.`);
    return { ...r, sourceSha256: sha256Hex(bytes), hr: image };
  };
  const probes = rows.filter((_, i) => roles[i] === 'probe');
  const gallery = rows.filter((_, i) => roles[i] === 'gallery');
  if (probes.length + gallery.length !== rows.length)
    throw new Error('Crops manifest: role must be probe or gallery.');
  return {
    name: `crops:${dir.split(/[\\/]/).pop() ?? dir}`,
    manifestSha256: sha256Hex(manifestBytes),
    frame: 'canonical C1 crops (128x128 PNG)',
    probes: await Promise.all(probes.map(load)),
    gallery: await Promise.all(gallery.map(load)),
  };
}

/** Writes the set's HR crops as PNGs plus a crops manifest, readable by `loadCropsSet` and the Python evaluator. */
export async function saveCrops(set: FaceSet, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const lines = ['file,identity_folder,role'];
  const write = async (f: LoadedFace, role: string, i: number): Promise<void> => {
    const name = `${role}-${String(i).padStart(4, '0')}.png`;
    writeFileSync(join(dir, name), await encodePng(f.hr));
    lines.push(`${name},${f.identity},${role}`);
  };
  for (const [i, f] of set.probes.entries()) await write(f, 'probe', i);
  for (const [i, f] of set.gallery.entries()) await write(f, 'gallery', i);
  writeFileSync(join(dir, 'manifest.csv'), `${lines.join('\n')}\n`);
}
