/** The score model manifest (DESIGN.md C3): reading, validating, and checking the ONNX file against its SHA-256. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import type { SdeConfig } from '../../core/sampling/api';
import { sha256Hex } from '../crypto';
import { FacetError } from '../../shared/errors';

const Range = z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo < hi, 'data_range must be [lo, hi].');

/** C3 manifest fields; extra fields (notes, provenance) are kept but not required. */
export const ScoreModelManifestSchema = z
  .object({
    id: z.string().min(1),
    sde: z.enum(['ve', 'vp', 'subvp']),
    sigma_min: z.number().positive(),
    sigma_max: z.number().positive(),
    beta_min: z.number().positive(),
    beta_max: z.number().positive(),
    data_range: Range,
    eps: z.number().positive().lt(1),
    lr_size: z.number().int().positive(),
    hr_size: z.number().int().positive(),
    frame: z.string(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits.'),
    params: z.number().int().nonnegative(),
    flops: z.number().nonnegative(),
    training: z.object({
      data: z.string(),
      steps: z.number().nonnegative(),
      images_seen: z.number().nonnegative(),
      device: z.string(),
      minutes: z.number().nonnegative(),
      licence: z.string(),
    }),
    metrics: z.record(z.string(), z.unknown()),
    /** Optional: measured working memory of one batch item in bytes (used by the memory cap). */
    memory_per_item_bytes: z.number().positive().optional(),
    /** Optional: a fixture for tests only (e.g. one that fails on purpose); never offered to users. */
    test_only: z.boolean().optional(),
  })
  .loose();
/** A validated C3 manifest. */
export type ScoreModelManifest = z.output<typeof ScoreModelManifestSchema>;

/** A manifest and the ONNX file it describes (`<name>.onnx` beside `<name>.json`). */
export interface ScoreModelEntry {
  readonly manifest: ScoreModelManifest;
  readonly manifestPath: string;
  readonly onnxPath: string;
}

/** Parses a manifest's JSON text; the error names the file and the first bad field. */
export function parseManifest(text: string, path: string): ScoreModelManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new FacetError('invalid-input', `Model manifest ${basename(path)} is not valid JSON.`);
  }
  const parsed = ScoreModelManifestSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    const where = i && i.path.length ? `${i.path.join('.')}: ` : '';
    throw new FacetError(
      'invalid-input',
      `Model manifest ${basename(path)} is invalid: ${where}${i?.message}`,
    );
  }
  if (parsed.data.hr_size !== 128 || parsed.data.lr_size !== 16) {
    throw new FacetError('invalid-input', `Model ${parsed.data.id} is not a 16 -> 128 model (C3).`);
  }
  return parsed.data;
}

/** Reads the ONNX file and checks it against the manifest's SHA-256; a mismatch is a clear error. */
export async function readVerifiedModel(entry: ScoreModelEntry): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(entry.onnxPath);
  } catch (err) {
    throw new FacetError('io', `Cannot read model file ${entry.onnxPath}: ${(err as Error).message}`);
  }
  const actual = sha256Hex(bytes);
  if (actual !== entry.manifest.sha256) {
    throw new FacetError(
      'invalid-input',
      `Model file ${basename(entry.onnxPath)} does not match its manifest: SHA-256 is ${actual}, ` +
        `the manifest says ${entry.manifest.sha256}. The file is damaged or was replaced.`,
    );
  }
  return bytes;
}

/** The SDE a model was trained with, from its manifest. */
export function sdeOfManifest(m: ScoreModelManifest): SdeConfig {
  return m.sde === 've'
    ? { kind: 've', sigmaMin: m.sigma_min, sigmaMax: m.sigma_max }
    : { kind: m.sde, betaMin: m.beta_min, betaMax: m.beta_max };
}
