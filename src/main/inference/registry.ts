/** The score models on disk: every `<name>.json` manifest with a `<name>.onnx` beside it, in a list of folders. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FacetError } from '../../shared/errors';
import { parseManifest, type ScoreModelEntry } from './manifest';
import { repoRoot } from './paths';

/** A model found on disk, and whether it is a test model (analytic score, not a face model). */
export interface RegisteredModel extends ScoreModelEntry {
  readonly isTestModel: boolean;
}

/** The shipped models folder and the committed test models (the demo's fallback). */
export function defaultModelDirs(root = repoRoot()): { models: string; testModels: string } {
  return {
    models: process.env.FACET_MODELS_DIR ?? join(root, 'models'),
    testModels: join(root, 'test', 'fixtures', 'models'),
  };
}

/** Scans folders for score model manifests; manifests that fail validation are reported, not skipped silently. */
export function scanModels(dirs: readonly { dir: string; test: boolean }[]): {
  models: RegisteredModel[];
  problems: string[];
} {
  const models: RegisteredModel[] = [];
  const problems: string[] = [];
  for (const { dir, test } of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (!name.endsWith('.json')) continue;
      const manifestPath = resolve(dir, name);
      const onnxPath = manifestPath.replace(/\.json$/, '.onnx');
      if (!existsSync(onnxPath)) continue; // not a model manifest (e.g. an embedder with another layout)
      let text: string;
      try {
        text = readFileSync(manifestPath, 'utf8');
      } catch (err) {
        problems.push(`${manifestPath}: ${(err as Error).message}`);
        continue;
      }
      if (!/"sde"\s*:/.test(text)) continue; // C4 embedders and other ONNX files share the folder
      try {
        const manifest = parseManifest(text, manifestPath);
        const isTestModel = test || manifest.training.steps === 0;
        models.push({ manifest, manifestPath, onnxPath, isTestModel });
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
  }
  return { models, problems };
}

/** Ties go to the paper's best SDE first. */
const SDE_ORDER = ['ve', 'vp', 'subvp'] as const;

/** Score models by id or by SDE kind, and the best one present. */
export class ModelRegistry {
  readonly models: readonly RegisteredModel[];

  /** Test-only fixtures (manifest `test_only`) are left out: they are never offered to users. */
  constructor(models: readonly RegisteredModel[]) {
    this.models = models.filter((m) => m.manifest.test_only !== true);
  }

  /** Loads the registry from the default folders (shipped models first, then test models). */
  static fromDisk(root = repoRoot()): ModelRegistry {
    const d = defaultModelDirs(root);
    return new ModelRegistry(
      scanModels([
        { dir: d.models, test: false },
        { dir: d.testModels, test: true },
      ]).models,
    );
  }

  /** The model with this id, or the best model of this SDE kind (`ve`, `vp`, `subvp`); undefined or `best` = the best. */
  resolve(ref?: string): RegisteredModel {
    if (ref === undefined || ref === 'best') return this.best();
    const byId = this.models.find((m) => m.manifest.id === ref);
    if (byId) return byId;
    if (ref === 've' || ref === 'vp' || ref === 'subvp') return this.best(ref);
    throw new FacetError(
      'not-found',
      `No score model "${ref}". Available: ${this.models.map((m) => m.manifest.id).join(', ') || 'none'}.`,
    );
  }

  /** Trained models before test models, then the larger network, then the id for a stable order. */
  best(sde?: 've' | 'vp' | 'subvp'): RegisteredModel {
    const pool = this.models.filter((m) => sde === undefined || m.manifest.sde === sde);
    const sorted = [...pool].sort(
      (a, b) =>
        Number(a.isTestModel) - Number(b.isTestModel) ||
        b.manifest.params - a.manifest.params ||
        SDE_ORDER.indexOf(a.manifest.sde) - SDE_ORDER.indexOf(b.manifest.sde) ||
        a.manifest.id.localeCompare(b.manifest.id),
    );
    const first = sorted[0];
    if (!first) {
      throw new FacetError('not-found', `No score model${sde ? ` for the ${sde} SDE` : ''} in models/.`);
    }
    return first;
  }
}
