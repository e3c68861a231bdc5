/**
 * `facet enhance <still>`: super-resolve a face from any still the app accepts into K candidates, bicubic, an
 * uncertainty map and run.json (C7) in --out DIR. The face is detected and aligned (the largest by default, --face N,
 * or --points for placed landmarks); a 128x128 aligned crop (or --aligned) is used as is, and --lr16 takes a 16x16
 * LR face. One-line error and a non-zero exit on failure.
 */
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { alignForEnhancement } from '../../core/face/align';
import type { Point, RgbImage } from '../../core/image/types';
import { ProviderName, type RunSettings } from '../../shared/contract/run-params';
import { FacetError } from '../../shared/errors';
import { FacePipeline, type DetectedFace } from '../../main/face/pipeline';
import { decodeImageFile, type DecodedImage } from '../../main/imaging/decode';
import { writeEnhanceOutputs } from '../../main/imaging/outputs';
import { enhance } from '../../main/inference/enhance';
import { InferenceEngine } from '../../main/inference/engine';
import { lrFromImage } from '../../main/inference/lr-input';
import { repoRoot } from '../../main/inference/paths';
import type { EngineProgress } from '../../main/inference/protocol';
import { ModelRegistry } from '../../main/inference/registry';
import { UNCERTAINTY_SCALE } from '../../main/inference/uncertainty';
import { prepareOutDir } from '../out-dir';
import { faceChoiceFlags, numberFlag, runSettingsFromFlags, SETTINGS_OPTIONS } from '../settings';

/** Usage text of `facet enhance`. */
export const ENHANCE_USAGE = `usage: facet enhance <image> --out DIR [options]

  <image>             any still: JPEG, PNG, WebP, TIFF, GIF, AVIF; 8 or 16 bit; RGB, grayscale, CMYK,
                      with or without alpha; EXIF orientation applied. Faces are detected and aligned
                      to the canonical 128x128 frame (C1); a 128x128 image is taken as an aligned crop.
  --out DIR           where to write crop.png, lr.png, lr-nearest.png, bicubic.png, candidate-<k>.png,
                      uncertainty.png and run.json
  --face N            enhance detected face N (0, 1, ... as listed; default: the largest)
  --points x,y,...    align from placed landmarks instead of detecting: the two eye centres (image-left
                      eye first) or five points (eyes, nose tip, mouth corners), in image pixels
  --aligned           the image is already an aligned square face crop (resized to 128x128 if needed)
  --lr16              the image is the 16x16 LR face itself
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
  --data-consistency  keep each candidate's C2 downscale equal to the LR input (off by default)`;

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
      },
    });
  } catch (err) {
    throw new FacetError('invalid-input', (err as Error).message.split('\n')[0]!);
  }
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) throw new FacetError('invalid-input', 'Give exactly one input image.');
  if (!v.out) throw new FacetError('invalid-input', 'Give an output folder with --out DIR.');
  const modes = [
    v.lr16 && '--lr16',
    v.aligned && '--aligned',
    v.face !== undefined && '--face',
    v.points && '--points',
  ];
  const given = modes.filter(Boolean);
  if (given.length > 1)
    throw new FacetError('invalid-input', `${given.join(' and ')} cannot be used together.`);
  const { face, points } = faceChoiceFlags(v);
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
  };
}

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** One line of the TTY progress bar. */
export function progressLine(p: EngineProgress, width = 30): string {
  const filled = Math.round((p.step / p.total) * width);
  const eta = p.etaMs === null ? '--:--' : clock(p.etaMs);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] step ${p.step}/${p.total}  NFE ${p.nfe}  ${clock(p.elapsedMs)} elapsed  ETA ${eta}`;
}

/** The face detector the command uses (FacePipeline satisfies it). */
export type FaceDetector = Pick<FacePipeline, 'detect' | 'close'>;

/** What `facet enhance` needs from outside; tests share one engine and one set of face models. */
export interface EnhanceDeps {
  readonly engine?: InferenceEngine;
  /** Face models to detect with (the caller closes them); default: models/face, loaded when needed. */
  readonly faceModels?: FaceDetector;
  readonly registry?: ModelRegistry;
}

/** The face that was enhanced: how it was found and where it sits in the still. */
interface FaceChoice {
  readonly crop: RgbImage | null;
  readonly lr: RgbImage;
  readonly notes: readonly string[];
  readonly face: Record<string, unknown>;
}

const area = (f: DetectedFace): number => f.box.width * f.box.height;
const r1 = (v: number): number => Math.round(v * 10) / 10;

/** The crop and LR to enhance: --lr16, an aligned crop, placed points, or a detected face. */
async function chooseFace(
  decoded: DecodedImage,
  name: string,
  args: ReturnType<typeof parseEnhanceArgs>,
  detect: (image: RgbImage) => Promise<DetectedFace[]>,
): Promise<FaceChoice> {
  const image = decoded.image;
  const { width: w, height: h } = image;
  const asCrop =
    args.lr16 || args.aligned || (w === 128 && h === 128 && args.face === undefined && !args.points);
  if (asCrop) {
    const input = lrFromImage(image, args.lr16);
    const notes = [...input.notes];
    if (!args.lr16 && !args.aligned)
      notes.push('128x128 input taken as an aligned face crop (C1); --face 0 detects instead');
    return { ...input, notes, face: { method: args.lr16 ? 'lr16' : 'aligned' } };
  }
  let points: readonly Point[];
  let face: Record<string, unknown>;
  const notes: string[] = [];
  if (args.points) {
    for (const p of args.points) {
      if (p.x < 0 || p.y < 0 || p.x > w || p.y > h) {
        throw new FacetError('invalid-input', `--points: (${p.x}, ${p.y}) lies outside the ${w}x${h} image.`);
      }
    }
    points = args.points;
    face = { method: 'manual', points };
  } else {
    const found = await detect(image);
    if (found.length === 0) {
      throw new FacetError(
        'invalid-input',
        `No face was found in ${name} (${w}x${h}); place the eye centres with --points x1,y1,x2,y2 (image-left eye first).`,
      );
    }
    const largest = found.reduce((best, f, i) => (area(f) > area(found[best]!) ? i : best), 0);
    const index = args.face ?? largest;
    const chosen = found[index];
    if (!chosen) {
      throw new FacetError(
        'invalid-input',
        `--face ${index}: ${found.length} face(s) were found in ${name}, numbered 0 to ${found.length - 1}.`,
      );
    }
    found.forEach((f, i) =>
      notes.push(
        `face ${i}: ${Math.round(f.box.width)}x${Math.round(f.box.height)} px at (${Math.round(f.box.x)}, ` +
          `${Math.round(f.box.y)}), score ${f.score.toFixed(2)}${i === largest ? ', largest' : ''}` +
          `${i === index ? ' <- enhanced' : ''}`,
      ),
    );
    points = chosen.landmarks;
    face = {
      method: 'auto',
      index,
      detected: found.length,
      box: {
        x: r1(chosen.box.x),
        y: r1(chosen.box.y),
        width: r1(chosen.box.width),
        height: r1(chosen.box.height),
      },
      score: chosen.score,
      points: points.map((p) => ({ x: r1(p.x), y: r1(p.y) })),
    };
  }
  let aligned;
  try {
    aligned = alignForEnhancement(image, points);
  } catch (err) {
    throw new FacetError('invalid-input', `These points cannot be aligned: ${(err as Error).message}`);
  }
  notes.push(`aligned to the canonical frame (C1), landmark residual ${aligned.residualPx.toFixed(2)} px`);
  return {
    crop: aligned.crop,
    lr: aligned.lr,
    notes,
    face: { ...face, transform: [...aligned.transform], residualPx: aligned.residualPx },
  };
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
  const detect = async (image: RgbImage): Promise<DetectedFace[]> => {
    if (deps.faceModels) return deps.faceModels.detect(image);
    const models = await FacePipeline.load(join(repoRoot(), 'models', 'face'));
    try {
      return await models.detect(image);
    } finally {
      await models.close();
    }
  };
  const input = await chooseFace(decoded, basename(args.image), args, detect);
  for (const n of [...decoded.notes, ...input.notes]) console.error(`note: ${n}`);
  const registry = deps.registry ?? ModelRegistry.fromDisk();
  const model = registry.resolve(args.settings.modelId);
  const settings = { ...args.settings, modelId: model.manifest.id };
  if (model.isTestModel) {
    console.error(
      `note: ${model.manifest.id} is an analytic TEST score model (a Gaussian around the bicubic input), not a ` +
        `trained face model${registry.models.every((m) => m.isTestModel) ? ' (models/ has none yet)' : ''}: ` +
        'the candidates are NOT face super-resolution.',
    );
  }

  const engine = deps.engine ?? new InferenceEngine();
  const ac = new AbortController();
  const onSigint = (): void => ac.abort();
  process.once('SIGINT', onSigint);
  const tty = process.stderr.isTTY === true;
  try {
    const out = await enhance(
      engine,
      { settings, model, lr: input.lr, crop: input.crop, memoryCapBytes: args.memoryCapBytes },
      { signal: ac.signal, onProgress: (p) => tty && process.stderr.write(`\r${progressLine(p)}\x1b[K`) },
    );
    if (tty) process.stderr.write('\n');
    if (out.status === 'cancelled') {
      console.error('facet: cancelled');
      return 130;
    }
    const r = out.result;
    const t = r.telemetry;
    await writeEnhanceOutputs(
      outDir,
      {
        crop: input.crop,
        lr: input.lr,
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
          notes: [...decoded.notes, ...input.notes],
        },
        face: input.face,
        consistency: r.consistency,
        uncertainty: {
          meanStd: r.meanStd,
          scale: UNCERTAINTY_SCALE,
          note: 'uncertainty.png = min(1, scale * per-pixel std across candidates)',
        },
        testModel: model.isTestModel,
        telemetry: t,
      },
    );
    console.log(
      `${r.candidates.length} candidate(s) in ${(t.wallMs / 1000).toFixed(1)} s (${t.nfe} NFE, ${t.provider}` +
        `${t.providerFallback ? ` — ${t.providerFallback}` : ''}, ${t.threads} threads, peak RSS ` +
        `${(t.peakRssBytes / 2 ** 20).toFixed(0)} MiB) -> ${outDir}`,
    );
    console.log(`seed ${r.record.seed}; consistency ${r.consistency.map((c) => c.toFixed(3)).join(', ')}`);
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    if (!deps.engine) await engine.close();
  }
}
