import type { ManifestVerification } from '../../shared/contract';
import { sha256Hex } from '../crypto';
import type { RgbImage } from '../../core/image/types';
import type { RunExecutor, RunResult } from '../inference/run-executor';
import { runOutputImages } from '../inference/run-outputs';
import { decodeToRgb } from '../imaging/decode';
import { float32Sha256, toRgb8 } from '../imaging/encode';
import { ReportManifestSchema, type ReportManifest } from './manifest';

/**
 * Checks a report manifest: every embedded image against its SHA-256, then re-runs each finished run through
 * the executor from its record and compares the output pixel hashes. Identical hashes are expected on the
 * same provider; otherwise the measured difference is stated.
 */
export async function verifyManifest(raw: unknown, executor: RunExecutor): Promise<ManifestVerification> {
  const parsed = ReportManifestSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      runs: [],
      problems: [`Not a Facet SR report manifest: ${parsed.error.issues[0]?.message ?? 'invalid'}`],
    };
  }
  const m: ReportManifest = parsed.data;
  const problems: string[] = [];
  const faces = new Map(m.faces.map((f) => [f.id, f]));
  const damagedFaces = new Set<string>();
  for (const f of m.faces) {
    if (sha256Hex(Buffer.from(f.cropPng, 'base64')) !== f.cropSha256) {
      problems.push(`face ${f.id}: the embedded crop does not match cropSha256`);
      damagedFaces.add(f.id);
    }
    if (sha256Hex(Buffer.from(f.lrPng, 'base64')) !== f.lrSha256) {
      problems.push(`face ${f.id}: the embedded LR does not match lrSha256`);
      damagedFaces.add(f.id);
    }
  }
  const runs: ManifestVerification['runs'] = [];
  for (const r of m.runs) {
    for (const o of r.outputs) {
      if (sha256Hex(Buffer.from(o.png, 'base64')) !== o.sha256) {
        problems.push(`run ${r.id}: the embedded ${o.kind} ${o.index} does not match its sha256`);
      }
    }
    if (r.status !== 'done' || !r.record) continue;
    const face = faces.get(r.faceId);
    if (!face) {
      problems.push(`run ${r.id}: its face ${r.faceId} is not in the manifest`);
      continue;
    }
    if (damagedFaces.has(face.id)) {
      problems.push(`run ${r.id}: not re-run, its face's embedded images are damaged`);
      continue;
    }
    // The run's own fields must say what its record says, or one of them was edited.
    const mismatch = (
      [
        ['seed', r.seed, r.record.seed],
        ['preset', r.settings.preset, r.record.preset],
        ['candidates', r.settings.candidates, r.record.candidates],
        ['data consistency', r.settings.dataConsistency, r.record.dataConsistency],
      ] as const
    ).filter(([, a, b]) => a !== b);
    if (mismatch.length > 0) {
      for (const [what, a, b] of mismatch) {
        problems.push(`run ${r.id}: its ${what} (${String(a)}) differs from its record's (${String(b)})`);
      }
      continue;
    }
    let result: RunResult;
    let lr: RgbImage;
    try {
      lr = await decodeToRgb(Buffer.from(face.lrPng, 'base64'), 'LR');
      // An 'lr16' face has no crop (its cropPng is its LR): the run was given none.
      const crop =
        face.method === 'lr16' ? null : await decodeToRgb(Buffer.from(face.cropPng, 'base64'), 'crop');
      // The recorded plan is re-executed as is: nothing is planned again from the settings.
      const rec = r.record;
      const plan = {
        model: rec.model,
        preset: rec.preset,
        sde: rec.sde,
        sampler: rec.sampler,
        seed: rec.seed,
        candidates: rec.candidates,
        dataConsistency: rec.dataConsistency,
      };
      result = await executor.execute(
        { runId: r.id, settings: { ...r.settings, seed: r.seed }, plan, lr, crop },
        { onProgress: () => {}, signal: new AbortController().signal },
      );
    } catch (err) {
      problems.push(`run ${r.id}: the re-run failed: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    const regenerated = runOutputImages(result, lr);
    const outputs: ManifestVerification['runs'][number]['outputs'] = [];
    for (const o of r.outputs) {
      const again = regenerated.find((x) => x.kind === o.kind && x.index === o.index);
      if (!again) {
        problems.push(`run ${r.id}: the re-run produced no ${o.kind} ${o.index}`);
        continue;
      }
      const actual = float32Sha256(again.img);
      const stored = await decodeToRgb(Buffer.from(o.png, 'base64'), 'output').then(toRgb8, () =>
        Buffer.alloc(0),
      );
      const now = toRgb8(again.img);
      // An image that cannot be compared (undecodable, other size) counts as entirely different.
      let max = 0;
      let sum = 0;
      if (stored.length !== now.length) {
        max = 255;
        sum = 255 * now.length;
      } else {
        for (let i = 0; i < stored.length; i++) {
          const d = Math.abs(stored[i]! - now[i]!);
          if (d > max) max = d;
          sum += d;
        }
      }
      outputs.push({
        kind: o.kind,
        index: o.index,
        expected: o.pixelsSha256,
        actual,
        identical: actual === o.pixelsSha256,
        maxAbsDiff8: max,
        meanAbsDiff8: now.length ? sum / now.length : 0,
      });
    }
    const identical = outputs.length === r.outputs.length && outputs.every((o) => o.identical);
    const rec = r.record;
    const sameProvider =
      rec.provider === result.record.provider &&
      rec.onnxruntimeVersion === result.record.onnxruntimeVersion &&
      rec.threads === result.record.threads;
    const maxDiff = Math.max(0, ...outputs.map((o) => o.maxAbsDiff8));
    const meanDiff = outputs.length ? outputs.reduce((a, o) => a + o.meanAbsDiff8, 0) / outputs.length : 0;
    const where = `${result.record.provider} (onnxruntime ${result.record.onnxruntimeVersion}, ${result.record.threads} threads)`;
    const was = `${rec.provider} (onnxruntime ${rec.onnxruntimeVersion}, ${rec.threads} threads)`;
    const summary = identical
      ? `identical: all ${outputs.length} output hashes match, re-run on ${where}`
      : `${outputs.filter((o) => !o.identical).length} of ${outputs.length} outputs differ: recorded on ${was}, re-run on ${where}; max abs difference ${maxDiff} and mean ${meanDiff.toFixed(4)} (8-bit levels)`;
    if (!identical && sameProvider)
      problems.push(`run ${r.id}: outputs differ on the same provider (${summary})`);
    if (result.record.model.sha256 !== rec.model.sha256) {
      problems.push(
        `run ${r.id}: re-run used model ${result.record.model.sha256}, the record names ${rec.model.sha256}`,
      );
    }
    runs.push({ runId: r.id, identical, sameProvider, outputs, summary });
  }
  return { ok: problems.length === 0, runs, problems };
}
