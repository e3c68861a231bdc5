/**
 * `facet enhance <image>`: super-resolve one aligned face crop (or a 16x16 LR face with --lr16) into K candidates,
 * bicubic, an uncertainty map and run.json (C7) in --out DIR. One-line error and a non-zero exit on failure.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ProviderName, RunSettingsSchema, type RunSettings } from '../../shared/contract/run-params';
import { FacetError } from '../../shared/errors';
import { decodeImageFile } from '../../main/imaging/decode';
import { writeEnhanceOutputs } from '../../main/imaging/outputs';
import { enhance } from '../../main/inference/enhance';
import { InferenceEngine } from '../../main/inference/engine';
import { lrFromImage } from '../../main/inference/lr-input';
import type { EngineProgress } from '../../main/inference/protocol';
import { ModelRegistry } from '../../main/inference/registry';
import { UNCERTAINTY_SCALE } from '../../main/inference/uncertainty';

/** Usage text of `facet enhance`. */
export const ENHANCE_USAGE = `usage: facet enhance <image> --out DIR [options]

  <image>             an aligned square face crop (128x128; other square sizes are resized),
                      or with --lr16 a 16x16 low-resolution face
  --out DIR           where to write lr.png, lr-nearest.png, bicubic.png, candidate-<k>.png,
                      uncertainty.png and run.json
  --lr16              the image is the 16x16 LR face itself
  --model M           model id, or ve | vp | subvp for the best model of that SDE (default: best present)
  --preset P          fast | sde-ve | sde-vecs | sde-vp | sde-subvp (default: fast)
  --steps N           sampler steps (default: the preset's)
  --snr r             Langevin signal-to-noise ratio (sde-vecs)
  --candidates K      candidates to sample, 1-16 (default 4)
  --seed S            64-bit run seed (default: random; recorded in run.json)
  --provider P        ${ProviderName.options.join(' | ')} (default cpu; falls back to cpu when missing)
  --threads N         ORT intra-op threads (default: physical cores)
  --memory-cap MB     split the candidates so one ORT call stays under this memory
  --data-consistency  keep each candidate's C2 downscale equal to the LR input (off by default)`;

/** Parses the arguments into settings; every problem is a FacetError with a one-line message. */
export function parseEnhanceArgs(argv: string[]): {
  image: string;
  out: string;
  lr16: boolean;
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
        model: { type: 'string' },
        preset: { type: 'string', default: 'fast' },
        steps: { type: 'string' },
        snr: { type: 'string' },
        candidates: { type: 'string' },
        seed: { type: 'string' },
        provider: { type: 'string' },
        threads: { type: 'string' },
        'memory-cap': { type: 'string' },
        'data-consistency': { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    throw new FacetError('invalid-input', (err as Error).message.split('\n')[0]!);
  }
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) throw new FacetError('invalid-input', 'Give exactly one input image.');
  if (!v.out) throw new FacetError('invalid-input', 'Give an output folder with --out DIR.');
  const num = (name: string, s: string | undefined): number | undefined => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (s.trim() === '' || !Number.isFinite(n))
      throw new FacetError('invalid-input', `--${name} must be a number, not "${s}".`);
    return n;
  };
  const settings = RunSettingsSchema.safeParse({
    modelId: v.model ?? 'best',
    preset: v.preset,
    steps: num('steps', v.steps),
    snr: num('snr', v.snr),
    candidates: num('candidates', v.candidates),
    seed: v.seed,
    provider: v.provider,
    threads: num('threads', v.threads),
    dataConsistency: v['data-consistency'] ?? false,
  });
  if (!settings.success) {
    const i = settings.error.issues[0]!;
    const flag = i.path[0] === 'modelId' ? 'model' : String(i.path[0] ?? '');
    throw new FacetError('invalid-input', `--${flag}: ${i.message}`);
  }
  const capMb = num('memory-cap', v['memory-cap']);
  if (capMb !== undefined && !(capMb > 0))
    throw new FacetError('invalid-input', '--memory-cap must be positive.');
  return {
    image: positionals[0]!,
    out: v.out,
    lr16: v.lr16 ?? false,
    settings: settings.data,
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

/** Runs `facet enhance`; returns the exit code (0 done, 130 cancelled by Ctrl-C). */
export async function enhanceCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(ENHANCE_USAGE);
    return 0;
  }
  const args = parseEnhanceArgs(argv);
  const decoded = await decodeImageFile(args.image);
  const input = lrFromImage(decoded.image, args.lr16);
  for (const n of [...decoded.notes, ...input.notes]) console.error(`note: ${n}`);
  const registry = ModelRegistry.fromDisk();
  const model = registry.resolve(args.settings.modelId);
  const settings = { ...args.settings, modelId: model.manifest.id };
  if (model.isTestModel) {
    console.error(
      `note: ${model.manifest.id} is an analytic TEST score model (a Gaussian around the bicubic input), not a ` +
        `trained face model${registry.models.every((m) => m.isTestModel) ? ' (models/ has none yet)' : ''}: ` +
        'the candidates are NOT face super-resolution.',
    );
  }

  const engine = new InferenceEngine();
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
      resolve(args.out),
      { lr: input.lr, bicubic: r.bicubic, candidates: r.candidates, uncertainty: r.uncertainty },
      r.record,
      {
        input: {
          file: resolve(args.image),
          format: decoded.format,
          bitDepth: decoded.bitDepth,
          notes: [...decoded.notes, ...input.notes],
        },
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
        `${(t.peakRssBytes / 2 ** 20).toFixed(0)} MiB) -> ${resolve(args.out)}`,
    );
    console.log(`seed ${r.record.seed}; consistency ${r.consistency.map((c) => c.toFixed(3)).join(', ')}`);
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    await engine.close();
  }
}
