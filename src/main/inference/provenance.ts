/** Model provenance for reports and archives (C4/C7): looked up from the model manifests on disk. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Looks up a model's provenance (its C3 manifest's training section, licence…) by id and hash. */
export type ModelProvenance = (model: { id: string; sha256: string }) => Record<string, unknown> | null;

/** Manifest fields that describe where a model came from; bulky fields (calibration tables) are left out. */
const FIELDS = [
  'task',
  'sde',
  'file',
  'bytes',
  'params',
  'training',
  'metrics',
  'provenance',
  'identity',
  'note',
];

/**
 * Reads every `<name>.json` manifest with an `id` and a `sha256` in the given folders (score models, face
 * models) and answers with the manifest's provenance fields for a model id. `sha256Matches` says whether the
 * recorded hash is the one on disk now (false: the model was replaced since the run).
 */
export function manifestProvenance(dirs: readonly string[]): ModelProvenance {
  const byId = new Map<string, Record<string, unknown>>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (!name.endsWith('.json')) continue;
      let m: unknown;
      try {
        m = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      } catch {
        continue; // not a manifest (the registry reports broken score manifests)
      }
      if (!m || typeof m !== 'object') continue;
      const rec = m as Record<string, unknown>;
      if (typeof rec.id !== 'string' || typeof rec.sha256 !== 'string' || byId.has(rec.id)) continue;
      byId.set(rec.id, { ...rec, manifest: name });
    }
  }
  return (model) => {
    const m = byId.get(model.id);
    if (!m) return null;
    const out: Record<string, unknown> = {
      id: model.id,
      manifest: m.manifest,
      sha256: m.sha256,
      sha256Matches: m.sha256 === model.sha256,
    };
    for (const f of FIELDS) if (m[f] !== undefined) out[f] = m[f];
    return out;
  };
}
