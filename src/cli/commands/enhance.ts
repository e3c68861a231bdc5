/**
 * `facet enhance <still>`: super-resolve a face from any still the app accepts into K candidates, bicubic, an
 * uncertainty map and run.json (C7) in --out DIR. The face is detected and aligned (the largest by default, --face N,
 * or --points for placed landmarks), or a 128x128 aligned crop (or --aligned) is taken as is, or a 16x16 image
 * (--lr16) is the LR face itself (a face of method lr16, no crop), all in a case through the runs service. One-line
 * error and a non-zero exit on failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Point, RgbImage } from '../../core/image/types';
import { ProviderName, type RunSettings } from '../../shared/contract/run-params';
import { FacetError } from '../../shared/errors';
import { stdInLevels, UNCERTAINTY_LEGEND } from '../../shared/uncertainty';
import { callOrThrow } from '../../main/api/router';
import { decodeImageFile, type DecodedImage } from '../../main/imaging/decode';
import { writeEnhanceOutputs } from '../../main/imaging/outputs';
import { defaultDataDir } from '../../main/paths';
import {
  alignedCropInput,
  composeRoot,
  lrFromImage,
  UNCERTAINTY_SCALE,
  type InferenceEngine,
  type RunResult,
} from '../../main/root';
import type { FaceModels } from '../../main/services/face-analysis-service';
import { alignFaceInCase } from '../face-in-case';
import { prepareOutDir } from '../out-dir';
import { printEstimate, progressLine, stderrProgress } from '../progress';
import {
  examinerFrom,
  faceChoiceFlags,
  numberFlag,
  runSettingsFromFlags,
  SETTINGS_OPTIONS,
} from '../settings';
import { followRun } from './run';

export { progressLine };

/** Usage text of `facet enhance`. */
export const ENHANCE_USAGE = `usage: facet enhance <image> --out DIR [options]

  <image>             any still: JPEG, PNG, WebP, TIFF, GIF, AVIF; 8 or 16 bit; RGB, grayscale, CMYK,
                      with or without alpha; EXIF orientation applied. Faces are detected and aligned
                      to the canonical 128x128 frame (C1); a 128x128 image is taken as an aligned crop.
  --out DIR           where to write crop.png (not with --lr16), lr.png, lr-nearest.png, bicubic.png,
                      candidate-<k>.png, uncertainty.png, mean.png (the candidates' mean, 2 or more candidates)
                      and run.json
  --face N            enhance detected face N (1, 2, ... as listed; default: the largest)
  --points x,y,...    align from placed landmarks instead of detecting: the two eye centres (image-left
                      eye first) or five points (eyes, nose tip, mouth corners), in image pixels
  --aligned           the image is already an aligned square face crop (resized to 128x128 if needed)
  --lr16              the image is the 16x16 LR face itself (no crop)
  --model M           model id, or ve | vp | subvp for the best model of that SDE (default: best present)
  --preset P          fast | sde-ve | sde-vecs | sde-vp | sde-subvp (default: fast)
  --steps N           sampler steps (default: the preset's)
  --snr r             Langevin signal-to-noise ratio (sde-vecs)
  --candidates K      candidates to sample, 1-16 (default 4)
  --seed S            run seed: 0 to 18446744073709551615, decimal or hex (0x...) (default: random;
                      recorded in run.json, in decimal)
  --provider P        ${ProviderName.options.join(' | ')} (default cpu; falls back to cpu when missing)
  --threads N         ORT intra-op threads (default: physical cores)
  --memory-cap MB     split the candidates so one ORT call stays under this memory
  --data-consistency  keep each candidate's C2 downscale equal to the LR input (off by default)
  --keep-case NAME    keep the case the face was enhanced in, named NAME (default: a scratch case in a
                      temporary data folder, deleted afterwards); then facet runs list|show NAME
  --data-dir DIR      the data folder of --keep-case (default: the desktop app's; FACET_DATA_DIR)
  --examiner NAME     the examiner recorded in the case's audit events (default: FACET_EXAMINER, else the
                      app's settings)
  --quiet, -q         no estimate and no progress on stderr

A face in a still is enhanced as the app and \`facet run\` do it: the still is imported as evidence into a case,
the face detected and aligned (an aligned crop, --aligned or a 128x128 image, is taken as is; a 16x16 LR, --lr16,
is the face's LR and it has no crop), and the run queued, planned and executed by the same runs service and
executor.`;

/** Parses the arguments into settings; every problem is a FacetError with a one-line message. */
export function parseEnhanceArgs(argv: string[]): {
  image: string;
  out: string;
  lr16: boolean;
  aligned: boolean;
  face?: number;
  points?: Point[];
  settings: RunSettings;
  memoryCapBytes?: number;
  keepCase?: string;
  dataDir?: string;
  examiner?: string;
  quiet: boolean;
} {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        lr16: { type: 'boolean', default: false },
        aligned: { type: 'boolean', default: false },
        face: { type: 'string' },
        points: { type: 'string' },
        ...SETTINGS_OPTIONS,
        'memory-cap': { type: 'string' },
        'keep-case': { type: 'string' },
        'data-dir': { type: 'string' },
        examiner: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
      },
    });
  } catch (err) {
    throw new FacetError('invalid-input', (err as Error).message.split('\n')[0]!);
  }
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) throw new FacetError('invalid-input', 'Give exactly one input image.');
  if (!v.out) throw new FacetError('invalid-input', 'Give an output folder with --out DIR.');
  const { face, points } = faceChoiceFlags(v);
  const keepCase = v['keep-case']?.trim();
  if (keepCase !== undefined && keepCase === '')
    throw new FacetError('invalid-input', '--keep-case needs a case name.');
  if (v['data-dir'] !== undefined && keepCase === undefined)
    throw new FacetError(
      'invalid-input',
      '--data-dir is the data folder of --keep-case; give --keep-case NAME.',
    );
  const settings = runSettingsFromFlags(v);
  const capMb = numberFlag('memory-cap', v['memory-cap']);
  if (capMb !== undefined && !(capMb > 0))
    throw new FacetError('invalid-input', '--memory-cap must be positive.');
  return {
    image: positionals[0]!,
    out: v.out,
    lr16: v.lr16 ?? false,
    aligned: v.aligned ?? false,
    face,
    points,
    settings,
    memoryCapBytes: capMb === undefined ? undefined : capMb * 2 ** 20,
    keepCase,
    dataDir: v['data-dir'],
    examiner: examinerFrom(v.examiner, process.env),
    quiet: v.quiet === true,
  };
}

/** A face detector the command can be given instead of the worker's face models (FaceModels satisfies it). */
export type FaceDetector = Pick<FaceModels, 'detect' | 'close'>;

/** What `facet enhance` needs from outside; tests share one engine and one set of face models. */
export interface EnhanceDeps {
  readonly engine?: InferenceEngine;
  /** Face models to detect with (the caller closes them); default: models/face in the engine's worker. */
  readonly faceModels?: FaceDetector;
  /** Where the default data folder of --keep-case is looked up (FACET_DATA_DIR); default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where scratch data folders are made (and removed); default: the OS temporary folder. */
  readonly scratchRoot?: string;
}

/** True when the image is taken as an aligned crop or as the LR (no detection). */
function takenAsCrop(image: RgbImage, args: ReturnType<typeof parseEnhanceArgs>): boolean {
  const { width: w, height: h } = image;
  return args.lr16 || args.aligned || (w === 128 && h === 128 && args.face === undefined && !args.points);
}

/** The face models the app's face service gets from `deps.faceModels` (detection only; the caller closes them). */
function sharedFaceModels(d: FaceDetector): FaceModels {
  const only = (): never => {
    throw new FacetError('internal', 'These face models can only detect.');
  };
  return {
    detect: (image) => d.detect(image),
    close: async () => {},
    align: only,
    embed: only,
    manifest: only,
    lrCalibrations: only,
    landmarksFromEyes: only,
  };
}

/** What the enhancement gave, however it ran: the images, the C7 record, telemetry and the face it came from. */
interface Enhanced {
  readonly crop: RgbImage | null;
  readonly lr: RgbImage;
  readonly result: Required<Pick<RunResult, 'meanStd' | 'telemetry'>> & RunResult;
  readonly notes: readonly string[];
  readonly face: Record<string, unknown>;
  readonly kept: Record<string, string> | null;
  /** The run's model is an analytic test model: its output is not face super-resolution. */
  readonly testModel: boolean;
}

/** Runs `facet enhance`; returns the exit code (0 done, 130 cancelled by Ctrl-C). */
export async function enhanceCommand(argv: string[], deps: EnhanceDeps = {}): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(ENHANCE_USAGE);
    return 0;
  }
  const args = parseEnhanceArgs(argv);
  const outDir = prepareOutDir(args.out);
  const decoded = await decodeImageFile(args.image);
  const asCrop = takenAsCrop(decoded.image, args);
  // An aligned crop or an LR that is not one is refused before anything is imported.
  if (args.lr16) lrFromImage(decoded.image, true);
  else if (asCrop) alignedCropInput(decoded.image);
  {
    const done = await enhanceInCase(decoded, args, asCrop, deps);
    if (done === 'cancelled') {
      console.error('facet: cancelled');
      return 130;
    }
    const r = done.result;
    const t = r.telemetry;
    await writeEnhanceOutputs(
      outDir,
      {
        crop: done.crop,
        lr: done.lr,
        bicubic: r.bicubic,
        candidates: r.candidates,
        uncertainty: r.uncertainty,
      },
      r.record,
      {
        input: {
          file: resolve(args.image),
          format: decoded.format,
          bitDepth: decoded.bitDepth,
          notes: [...decoded.notes, ...done.notes],
        },
        face: done.face,
        consistency: r.consistency,
        uncertainty: {
          meanStd: r.meanStd,
          // One unit with the app's legend and the report (src/shared/uncertainty.ts).
          meanStdLevels: stdInLevels(r.meanStd),
          ...UNCERTAINTY_LEGEND,
          scale: UNCERTAINTY_SCALE,
        },
        testModel: done.testModel,
        telemetry: t,
        case: done.kept,
      },
    );
    console.log(
      `${r.candidates.length} candidate(s) in ${(t.wallMs / 1000).toFixed(1)} s (${t.nfe} NFE, ${t.provider}` +
        `${t.providerFallback ? ` — ${t.providerFallback}` : ''}, ${t.threads} threads, peak RSS ` +
        `${(t.peakRssBytes / 2 ** 20).toFixed(0)} MiB) -> ${outDir}`,
    );
    console.log(`seed ${r.record.seed}; consistency ${r.consistency.map((c) => c.toFixed(3)).join(', ')}`);
    if (done.kept) console.log(`case ${done.kept.name} (${done.kept.caseId}), run ${done.kept.runId}`);
    return 0;
  }
}

/**
 * A face in a still, as the app and `facet run` enhance it: the still imported into a case, the face detected and
 * aligned (faces.detect, faces.align; an aligned crop taken as is, a 16x16 LR taken as the face's LR), the run queued
 * (runs.enqueue) and planned and executed by the runs service. The case is a scratch one in a temporary data folder, deleted afterwards, unless
 * --keep-case names it.
 */
async function enhanceInCase(
  decoded: DecodedImage,
  args: ReturnType<typeof parseEnhanceArgs>,
  asCrop: boolean,
  deps: EnhanceDeps,
): Promise<Enhanced | 'cancelled'> {
  const keep = args.keepCase;
  const { width: w, height: h } = decoded.image;
  for (const p of args.points ?? []) {
    if (p.x < 0 || p.y < 0 || p.x > w || p.y > h)
      throw new FacetError('invalid-input', `--points: (${p.x}, ${p.y}) lies outside the ${w}x${h} image.`);
  }
  const dataDir =
    keep === undefined
      ? mkdtempSync(join(deps.scratchRoot ?? tmpdir(), 'facet-enhance-'))
      : resolve(args.dataDir ?? defaultDataDir(deps.env));
  // The executor's results carry the telemetry run.json reports; the runs service stores the rest.
  const results = new Map<string, RunResult>();
  const app = composeRoot({
    dataDir,
    engine: deps.engine,
    // This command runs only the run it queued.
    queue: 'own',
    memoryCapBytes: args.memoryCapBytes,
    examiner: args.examiner,
    onResult: (runId, r) => results.set(runId, r),
    // Detection runs in the engine's worker beside sampling, unless the caller injects a detector.
    loadFaceModels: deps.faceModels ? async () => sharedFaceModels(deps.faceModels!) : undefined,
  });
  const model = app.registry.resolve(args.settings.modelId);
  const settings: RunSettings = { ...args.settings, modelId: model.manifest.id };
  const testModelNote = (): void => {
    if (!model.isTestModel) return;
    console.error(
      `note: ${model.manifest.id} is an analytic TEST score model (a Gaussian around the bicubic input), not a ` +
        `trained face model${app.registry.models.every((m) => m.isTestModel) ? ' (models/ has none yet)' : ''}: ` +
        'the candidates are NOT face super-resolution.',
    );
  };
  let runId: string | null = null;
  const onSigint = (): void => {
    if (runId) app.runs.cancel(runId);
  };
  process.once('SIGINT', onSigint);
  try {
    const file = resolve(args.image);
    if (keep !== undefined) {
      const taken = (await callOrThrow(app.router, 'cases.list', {})).some((c) => c.name === keep);
      if (taken) {
        throw new FacetError(
          'conflict',
          `--keep-case: a case named "${keep}" exists already in ${dataDir}; choose another name.`,
        );
      }
    }
    const c = await callOrThrow(app.router, 'cases.create', { name: keep ?? 'facet enhance (scratch)' });
    app.paths.allowRead(file);
    const { evidence: ev } = await callOrThrow(app.router, 'evidence.import', {
      caseId: c.id,
      path: file,
      role: 'probe',
    });
    const aligned = await alignFaceInCase(app.router, c.id, ev, {
      face: args.face,
      points: args.points,
      aligned: asCrop && !args.lr16,
      lr16: args.lr16,
    });
    const notes = [...aligned.notes];
    if (args.lr16) notes.push('input taken as the 16x16 LR face (no crop)');
    else if (asCrop) {
      notes.push(
        `input taken as an aligned face crop (C1)${args.aligned ? '' : '; --face 1 detects instead'}`,
      );
      if (w !== 128 || h !== 128) notes.push(`crop resized from ${w}x${h} to 128x128 (C2 bicubic)`);
    } else
      notes.push(
        `aligned to the canonical frame (C1), landmark residual ${aligned.residualPx.toFixed(2)} px`,
      );
    for (const n of [...decoded.notes, ...notes]) console.error(`note: ${n}`);
    testModelNote();
    const progress = stderrProgress(args.quiet);
    await printEstimate(app, settings, progress);
    const queued = await callOrThrow(app.router, 'runs.enqueue', {
      caseId: c.id,
      faceId: aligned.face.id,
      settings,
    });
    runId = queued.id;
    const run = await followRun(app, queued.id, progress);
    if (run.status === 'cancelled') return 'cancelled';
    if (run.status === 'queued') {
      throw new FacetError(
        'conflict',
        `The desktop app holds the run queue of ${dataDir}: run ${run.id} of case "${c.name}" is queued there.`,
      );
    }
    const result = results.get(run.id);
    if (run.status !== 'done' || !result?.telemetry || result.meanStd === undefined)
      throw new FacetError('internal', `Run ${run.id} ${run.status}${run.error ? `: ${run.error}` : ''}.`);
    // The crop and LR as the case stores them: what the run was given (no crop for an lr16 face).
    const { crop, lr } = await app.faces.images(aligned.face.id);
    return {
      crop,
      lr,
      result: {
        ...result,
        record: run.record!,
        meanStd: result.meanStd,
        telemetry: result.telemetry,
      },
      notes,
      testModel: model.isTestModel,
      face: { ...aligned.info, transform: aligned.face.transform, residualPx: aligned.residualPx },
      kept:
        keep === undefined
          ? null
          : {
              name: c.name,
              caseId: c.id,
              evidenceId: ev.id,
              faceId: aligned.face.id,
              runId: run.id,
              dataDir,
            },
    };
  } finally {
    process.off('SIGINT', onSigint);
    await app.closeAndWait();
    if (keep === undefined) rmSync(dataDir, { recursive: true, force: true });
  }
}
