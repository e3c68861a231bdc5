/**
 * One ONNX score model in one onnxruntime session, as the core's `ScoreFn`: all candidates of a step go to ORT in
 * one call, split into smaller batches only when the configured memory cap would be exceeded.
 */
import * as ort from 'onnxruntime-node';
import { SamplingCancelled, type CancelSignal, type ScoreFn, type Tensor } from '../../core/sampling/api';
import type { ProviderName } from '../../shared/contract/run-params';
import { FacetError } from '../../shared/errors';
import { readVerifiedModel, type ScoreModelEntry, type ScoreModelManifest } from './manifest';
import { openSession } from './providers';

/** Calls between RSS samples once every batch size has been seen. */
const RSS_EVERY = 8;

/** Values in one 3x128x128 image. */
export const ITEM_VALUES = 3 * 128 * 128;
/** Bytes ORT must hold for one batch item's inputs and output (x, y, score). */
export const ITEM_IO_BYTES = 3 * ITEM_VALUES * 4;

/** How a model is opened. */
export interface ScoreModelOptions {
  readonly provider: ProviderName;
  readonly threads: number;
  /** Cap on the memory one ORT call may use, in bytes; the candidates are split to stay under it. */
  readonly memoryCapBytes?: number;
}

/** Counters over the life of a model, read by progress and the bench. */
export interface ScoreStats {
  /** ScoreFn calls (network evaluations of the whole batch). */
  nfe: number;
  /** ORT `run` calls (more than nfe when batches are split). */
  ortCalls: number;
  /** Wall time inside ORT `run`, ms. */
  ortMs: number;
  /** Largest resident set size seen right after an ORT call, bytes (the whole process). */
  peakRssBytes: number;
}

/** A loaded score model. */
export class OrtScoreModel {
  readonly stats: ScoreStats = { nfe: 0, ortCalls: 0, ortMs: 0, peakRssBytes: 0 };
  /** Estimated working memory of one batch item, bytes; learnt from RSS growth when the manifest has none. */
  private bytesPerItem: number;
  private readonly seenBatches = new Set<number>();

  private constructor(
    readonly manifest: ScoreModelManifest,
    readonly session: ort.InferenceSession,
    readonly provider: ProviderName,
    /** Why the requested provider was not used, or null. */
    readonly fallback: string | null,
    readonly threads: number,
    private readonly memoryCapBytes: number | undefined,
  ) {
    this.bytesPerItem = manifest.memory_per_item_bytes ?? 4 * ITEM_IO_BYTES;
  }

  /** Verifies the file against its manifest, then opens it on the requested provider (or CPU). */
  static async open(entry: ScoreModelEntry, options: ScoreModelOptions): Promise<OrtScoreModel> {
    const bytes = await readVerifiedModel(entry);
    let opened;
    try {
      opened = await openSession(bytes, options.provider, options.threads);
    } catch (err) {
      throw new FacetError(
        'invalid-input',
        `onnxruntime cannot load model ${entry.manifest.id} (${entry.onnxPath}): ${firstLine(err)}`,
      );
    }
    const { session } = opened;
    const missing = ['x', 'y', 't'].filter((n) => !session.inputNames.includes(n));
    if (missing.length > 0 || !session.outputNames.includes('score')) {
      await session.release();
      throw new FacetError(
        'invalid-input',
        `Model ${entry.manifest.id} does not have the C3 interface (inputs x, y, t; output score).`,
      );
    }
    return new OrtScoreModel(
      entry.manifest,
      session,
      opened.provider,
      opened.fallback,
      options.threads,
      options.memoryCapBytes,
    );
  }

  /** The largest batch one ORT call may take under the memory cap (at least 1). */
  maxBatch(): number {
    if (this.memoryCapBytes === undefined) return Number.POSITIVE_INFINITY;
    return Math.max(1, Math.floor(this.memoryCapBytes / this.bytesPerItem));
  }

  /** The core's ScoreFn over this session; it stops with SamplingCancelled before an ORT call once aborted. */
  scoreFn(signal?: CancelSignal): ScoreFn {
    return async (x: Tensor, y: Tensor, t: Float32Array): Promise<Float32Array> => {
      const b = t.length;
      if (x.shape[0] !== b || y.shape[0] !== b || x.data.length !== b * ITEM_VALUES) {
        throw new FacetError(
          'internal',
          `Score call with mismatched batch: x ${x.shape}, y ${y.shape}, t ${b}.`,
        );
      }
      this.stats.nfe += 1;
      const chunk = Math.min(b, this.maxBatch());
      if (chunk === b) return this.run(x.data, y.data, t, b, signal);
      const out = new Float32Array(b * ITEM_VALUES);
      for (let i = 0; i < b; i += chunk) {
        const n = Math.min(chunk, b - i);
        const span = [i * ITEM_VALUES, (i + n) * ITEM_VALUES] as const;
        const part = await this.run(
          x.data.subarray(...span),
          y.data.subarray(...span),
          t.subarray(i, i + n),
          n,
          signal,
        );
        out.set(part, span[0]);
      }
      return out;
    };
  }

  /** Frees the session. */
  async release(): Promise<void> {
    await this.session.release();
  }

  private async run(
    x: Float32Array,
    y: Float32Array,
    t: Float32Array,
    b: number,
    signal: CancelSignal | undefined,
  ): Promise<Float32Array> {
    if (signal?.aborted) throw new SamplingCancelled();
    const dims = [b, 3, 128, 128];
    // ORT's arena grows on the first call of a new batch size: measure RSS around those calls (a /proc read
    // each), and otherwise only every RSS_EVERY calls, for the peak.
    const newBatch = !this.seenBatches.has(b);
    const rssBefore = newBatch ? process.memoryUsage.rss() : 0;
    const start = performance.now();
    let score: ort.Tensor | undefined;
    try {
      const out = await this.session.run({
        x: new ort.Tensor('float32', x, dims),
        y: new ort.Tensor('float32', y, dims),
        t: new ort.Tensor('float32', t, [b]),
      });
      score = out.score;
    } catch (err) {
      throw new FacetError('internal', `The score model ${this.manifest.id} failed: ${firstLine(err)}`);
    }
    this.stats.ortMs += performance.now() - start;
    this.stats.ortCalls += 1;
    if (newBatch || this.stats.ortCalls % RSS_EVERY === 0) {
      const rss = process.memoryUsage.rss();
      this.stats.peakRssBytes = Math.max(this.stats.peakRssBytes, rss);
      // That growth is this model's working memory for b items (an over-estimate, so safe for the cap).
      if (newBatch && this.manifest.memory_per_item_bytes === undefined && rss > rssBefore) {
        this.bytesPerItem = Math.max(this.bytesPerItem, (rss - rssBefore) / b);
      }
      this.seenBatches.add(b);
    }
    if (!score || score.type !== 'float32' || score.data.length !== b * ITEM_VALUES) {
      throw new FacetError(
        'internal',
        `The score model ${this.manifest.id} returned no [B,3,128,128] float32 score.`,
      );
    }
    return score.data as Float32Array;
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);
}
