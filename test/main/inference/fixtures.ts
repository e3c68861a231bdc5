/** The committed test models (test/fixtures/models, made by make_models.py) as registry entries. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseManifest, type ScoreModelEntry } from '../../../src/main/inference/manifest';

/** The folder of the test ONNX models. */
export const MODELS_DIR = resolve(import.meta.dirname, '../../fixtures/models');

/** A test model's manifest and ONNX path by name (analytic-ve, analytic-vp, analytic-subvp, fault). */
export function testModel(name: string): ScoreModelEntry {
  const manifestPath = join(MODELS_DIR, `${name}.json`);
  return {
    manifest: parseManifest(readFileSync(manifestPath, 'utf8'), manifestPath),
    manifestPath,
    onnxPath: join(MODELS_DIR, `${name}.onnx`),
  };
}
