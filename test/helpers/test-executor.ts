/**
 * A test double of the sampling engine (RunExecutor): it produces real, deterministic 128x128 images from the LR
 * and the seed (nearest upscale plus seeded noise per candidate), so queue, storage, reports and verification are
 * exercised with real pixels. It does no diffusion sampling; the inference engine's executor does that.
 */
import { createHash } from 'node:crypto';
import type { RgbImage } from '../../src/core/image/types';
import { planRun, type RunPlan } from '../../src/core/sampling/plan';
import type { ReproRecord } from '../../src/shared/contract';
import type { RunExecutor, RunJob, RunProgress, RunResult } from '../../src/main/inference/run-executor';

export interface TestExecutorOptions {
  /** Milliseconds each step waits (to let tests observe a running run). */
  readonly stepDelayMs?: number;
  /** Steps per run when the settings name none. */
  readonly steps?: number;
  /** Provider reported in the record (to simulate re-running elsewhere); default the settings' provider. */
  readonly provider?: ReproRecord['provider'];
  /** Added to every candidate pixel (to simulate a numerically different provider). */
  readonly perturb?: number;
  /** Throw this message at the given step. */
  readonly failAtStep?: { step: number; message: string };
}

const TEST_SDE = { kind: 've', sigmaMin: 0.01, sigmaMax: 348 } as const;

const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

/** A xorshift32 stream seeded from SHA-256(seed ":" k): candidate k's noise depends only on (seed, k). */
function stream(seed: string, k: number): () => number {
  let s = createHash('sha256').update(`${seed}:${k}`).digest().readUInt32LE(0) || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000 - 0.5;
  };
}

function upscale8(lr: RgbImage): RgbImage {
  const w = lr.width * 8;
  const h = lr.height * 8;
  const data = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++)
        data[(y * w + x) * 3 + c] = lr.data[((y >> 3) * lr.width + (x >> 3)) * 3 + c]!;
    }
  }
  return { width: w, height: h, data };
}

/** Creates the deterministic test executor. */
export function testExecutor(opts: TestExecutorOptions = {}): RunExecutor & { calls: number } {
  const ex = {
    calls: 0,
    /** planRun over a stand-in VE model named like the settings' model. */
    plan(settings: RunJob['settings']): RunPlan {
      const id = settings.modelId;
      const model = { id, sha256: sha(`test-model:${id}`), sde: TEST_SDE, eps: 1e-5 };
      return planRun(settings, model);
    },
    async execute(
      job: RunJob,
      ctx: { onProgress(p: RunProgress): void; readonly signal: AbortSignal },
    ): Promise<RunResult> {
      ex.calls += 1;
      const total = job.settings.steps ?? opts.steps ?? 5;
      const t0 = Date.now();
      for (let step = 1; step <= total; step++) {
        if (ctx.signal.aborted) throw new Error('aborted');
        if (opts.failAtStep && step === opts.failAtStep.step) throw new Error(opts.failAtStep.message);
        if (opts.stepDelayMs) await new Promise((r) => setTimeout(r, opts.stepDelayMs));
        else await Promise.resolve();
        const elapsedMs = Date.now() - t0;
        ctx.onProgress({ step, total, nfe: step, elapsedMs, etaMs: (elapsedMs / step) * (total - step) });
      }
      if (ctx.signal.aborted) throw new Error('aborted');
      const bicubic = upscale8(job.lr);
      const candidates: RgbImage[] = [];
      for (let k = 0; k < job.plan.candidates; k++) {
        const rnd = stream(job.plan.seed, k);
        const data = new Float32Array(bicubic.data.length);
        for (let i = 0; i < data.length; i++) {
          data[i] = Math.min(1, Math.max(0, bicubic.data[i]! + 0.1 * rnd() + (opts.perturb ?? 0)));
        }
        candidates.push({ width: 128, height: 128, data });
      }
      const unc = new Float32Array(bicubic.data.length);
      for (let i = 0; i < unc.length; i++) {
        let m = 0;
        for (const c of candidates) m += c.data[i]!;
        m /= candidates.length;
        let v = 0;
        for (const c of candidates) v += (c.data[i]! - m) ** 2;
        unc[i] = Math.min(1, Math.sqrt(v / candidates.length) * 10);
      }
      const consistency = candidates.map((c) => {
        let se = 0;
        for (let y = 0; y < 16; y++) {
          for (let x = 0; x < 16; x++) {
            for (let ch = 0; ch < 3; ch++) {
              let s = 0;
              for (let dy = 0; dy < 8; dy++)
                for (let dx = 0; dx < 8; dx++) s += c.data[((y * 8 + dy) * 128 + x * 8 + dx) * 3 + ch]!;
              se += (s / 64 - job.lr.data[(y * 16 + x) * 3 + ch]!) ** 2 * 255 * 255;
            }
          }
        }
        return se / (16 * 16 * 3);
      });
      const record: ReproRecord = {
        ...job.plan,
        inputCropSha256: null,
        lrSha256: sha(Buffer.from(job.lr.data.buffer, job.lr.data.byteOffset, job.lr.data.byteLength)),
        appVersion: 'test',
        onnxruntimeVersion: 'none (test executor)',
        provider: opts.provider ?? job.settings.provider,
        threads: job.settings.threads ?? 1,
      };
      return {
        record,
        candidates,
        bicubic,
        uncertainty: { width: 128, height: 128, data: unc },
        consistency,
      };
    },
  };
  return ex;
}

/** Settings of a small run for the test executor (model 'm', fast preset, 2 candidates on the CPU) with `seed`. */
export function testRunSettings(seed: string) {
  return {
    modelId: 'm',
    preset: 'fast',
    candidates: 2,
    provider: 'cpu',
    dataConsistency: false,
    seed,
  } as const;
}
