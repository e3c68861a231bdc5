/** One enhancement from main's side: settings -> worker job -> images and the C7 record. */
import type { RgbImage } from '../../core/image/types';
import { ReproRecordSchema, type ReproRecord, type RunSettings } from '../../shared/contract/run-params';
import { FacetError } from '../../shared/errors';
import { randomSeed } from '../crypto';
import { rgb8Sha256 } from '../imaging/encode';
import type { EnhanceJob, EnhanceJobResult } from './enhance-job';
import type { InferenceEngine, JobOptions, JobOutcome } from './engine';
import type { ScoreModelEntry } from './manifest';
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
export interface EnhanceResult extends Omit<EnhanceJobResult, 'kind' | 'sde' | 'sampler'> {
  readonly record: ReproRecord;
}

/** Runs one enhancement on the engine; `cancelled` is an outcome, not an error. */
export async function enhance(
  engine: InferenceEngine,
  req: EnhanceRequest,
  options: JobOptions = {},
): Promise<JobOutcome<EnhanceResult>> {
  const s = req.settings;
  if (req.crop && (req.crop.width !== 128 || req.crop.height !== 128)) {
    throw new FacetError(
      'invalid-input',
      `The face crop must be 128x128, not ${req.crop.width}x${req.crop.height}.`,
    );
  }
  const seed = s.seed ?? randomSeed();
  const threads = s.threads ?? physicalCores();
  const job: EnhanceJob = {
    kind: 'enhance',
    model: { entry: req.model, provider: s.provider, threads, memoryCapBytes: req.memoryCapBytes },
    preset: s.preset,
    overrides: { steps: s.steps, correctorSteps: s.correctorSteps, snr: s.snr },
    seed,
    candidates: s.candidates,
    dataConsistency: s.dataConsistency,
    lr: req.lr,
  };
  const out = await engine.run<EnhanceJobResult>(job, options);
  if (out.status === 'cancelled') return out;
  const { kind: _kind, sde, sampler, ...images } = out.result;
  const record = ReproRecordSchema.parse({
    model: { id: req.model.manifest.id, sha256: req.model.manifest.sha256 },
    preset: s.preset,
    sde,
    sampler,
    seed,
    candidates: s.candidates,
    dataConsistency: s.dataConsistency,
    inputCropSha256: req.crop ? rgb8Sha256(req.crop) : null,
    lrSha256: rgb8Sha256(req.lr),
    appVersion: appVersion(),
    onnxruntimeVersion: onnxruntimeVersion(),
    provider: images.telemetry.provider,
    threads,
  } satisfies ReproRecord);
  return { status: 'done', result: { ...images, record } };
}
