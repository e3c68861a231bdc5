/** One enhancement from main's side: settings -> worker job -> images and the C7 record. */
import type { RgbImage } from '../../core/image/types';
import { planRun, type RunPlan } from '../../core/sampling';
import { ReproRecordSchema, type ReproRecord, type RunSettings } from '../../shared/contract/run-params';
import { FacetError } from '../../shared/errors';
import { randomSeed } from '../crypto';
import { rgb8Sha256 } from '../imaging/encode';
import type { InferenceEngine, JobOptions, JobOutcome } from './engine';
import type { EnhanceJob, EnhanceJobResult } from './protocol';
import { sdeOfManifest, type ScoreModelEntry } from './manifest';
import { appVersion } from './paths';
import { onnxruntimeVersion } from './providers';
import { physicalCores } from './threads';

/** What to enhance and how. */
export interface EnhanceRequest {
  readonly settings: RunSettings;
  readonly model: ScoreModelEntry;
  /** The 16x16 LR face (C2). */
  readonly lr: RgbImage;
  /** The aligned 128x128 crop the LR came from, or null when the input was the LR itself. */
  readonly crop: RgbImage | null;
  readonly memoryCapBytes?: number;
}

/** The images, the C7 record and the engine's telemetry of one enhancement. */
export interface EnhanceResult extends Omit<EnhanceJobResult, 'kind'> {
  readonly record: ReproRecord;
}

/** Plans a run of `settings` (seed fixed) on a model: planRun (core) over the model's C3 manifest. */
export function planFor(settings: RunSettings & { seed: string }, model: ScoreModelEntry): RunPlan {
  const m = model.manifest;
  try {
    return planRun(settings, { id: m.id, sha256: m.sha256, sde: sdeOfManifest(m), eps: m.eps });
  } catch (err) {
    throw new FacetError('invalid-input', (err as Error).message);
  }
}

/** Runs one enhancement: plans it (planFor), then executes the plan (enhancePlanned). */
export async function enhance(
  engine: InferenceEngine,
  req: EnhanceRequest,
  options: JobOptions = {},
): Promise<JobOutcome<EnhanceResult>> {
  const plan = planFor({ ...req.settings, seed: req.settings.seed ?? randomSeed() }, req.model);
  return enhancePlanned(engine, { ...req, plan }, options);
}

/**
 * Executes a plan on the engine: the worker samples exactly the plan; the C7 record is the plan plus the input
 * hashes, versions and the provider and threads that ran. `cancelled` is an outcome, not an error.
 */
export async function enhancePlanned(
  engine: InferenceEngine,
  req: EnhanceRequest & { readonly plan: RunPlan },
  options: JobOptions = {},
): Promise<JobOutcome<EnhanceResult>> {
  const s = req.settings;
  const plan = req.plan;
  if (req.crop && (req.crop.width !== 128 || req.crop.height !== 128)) {
    throw new FacetError(
      'invalid-input',
      `The face crop must be 128x128, not ${req.crop.width}x${req.crop.height}.`,
    );
  }
  const threads = s.threads ?? physicalCores();
  const job: EnhanceJob = {
    kind: 'enhance',
    model: { entry: req.model, provider: s.provider, threads, memoryCapBytes: req.memoryCapBytes },
    plan,
    lr: req.lr,
  };
  const out = await engine.run<EnhanceJobResult>(job, options);
  if (out.status === 'cancelled') return out;
  const { kind: _kind, ...images } = out.result;
  const record = ReproRecordSchema.parse({
    ...plan,
    inputCropSha256: req.crop ? rgb8Sha256(req.crop) : null,
    lrSha256: rgb8Sha256(req.lr),
    appVersion: appVersion(),
    onnxruntimeVersion: onnxruntimeVersion(),
    provider: images.telemetry.provider,
    threads,
  } satisfies ReproRecord);
  return { status: 'done', result: { ...images, record } };
}
