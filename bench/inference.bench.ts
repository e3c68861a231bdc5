/**
 * Inference engine benchmark: per-NFE latency of the best score model present at batch 1, 4 and 8 on CPU, through
 * the worker's ScoreFn against a raw onnxruntime loop over the same model (the ceiling); the fast preset's sampler
 * overhead and candidates per minute; peak RSS.
 */
import * as ort from 'onnxruntime-node';
import { formLr } from '../src/core/image/lr';
import { RunSettingsSchema } from '../src/shared/contract/run-params';
import { enhance, type EnhanceResult } from '../src/main/inference/enhance';
import { InferenceEngine } from '../src/main/inference/engine';
import { readVerifiedModel } from '../src/main/inference/manifest';
import type { ModelSpec, ScoreLoopResult } from '../src/main/inference/protocol';
import { sessionOptions } from '../src/main/inference/providers';
import { join } from 'node:path';
import { repoRoot } from '../src/main/inference/paths';
import {
  defaultModelDirs,
  ModelRegistry,
  scanModels,
  type RegisteredModel,
} from '../src/main/inference/registry';
import { ITEM_VALUES } from '../src/main/inference/score-model';
import { physicalCores } from '../src/main/inference/threads';

/** Calls of each configuration: about a second of work, at least 2 (a network-sized model takes seconds a call). */
function itersFor(msPerCall: number): number {
  return Math.max(2, Math.min(100, Math.round(1000 / Math.max(msPerCall, 0.01))));
}

/**
 * The models to measure, side by side: the trained model in models/ (the app's default), the VE exports of other
 * trained sizes copied to out/bench-models/ (the size experiment), and, when bench/make_untrained_model.py has
 * written it there, the untrained export of the earlier default network (the 13 GFLOP U-Net; latency only). With
 * none, the analytic test model.
 */
function benchModels(): { model: RegisteredModel; label: string }[] {
  const dirs = defaultModelDirs();
  const { models } = scanModels([
    { dir: dirs.models, test: false },
    { dir: join(repoRoot(), 'out', 'bench-models'), test: true },
  ]);
  const out: { model: RegisteredModel; label: string }[] = [];
  const trained = new ModelRegistry(models.filter((x) => !x.isTestModel));
  if (trained.models.length > 0) {
    out.push({ model: trained.best('ve'), label: 'trained model from models/ (the default)' });
  }
  const bySize = (a: RegisteredModel, b: RegisteredModel): number => b.manifest.params - a.manifest.params;
  // Other trained sizes copied to out/bench-models (the size experiment's VE exports), measured beside the default.
  const sizes = models
    .filter((x) => x.isTestModel && !x.manifest.id.startsWith('untrained-') && x.manifest.sde === 've')
    .sort(bySize);
  for (const m of sizes) out.push({ model: m, label: 'another trained size, from out/bench-models' });
  const untrained = models.filter((x) => x.manifest.id.startsWith('untrained-')).sort(bySize)[0];
  if (untrained) {
    out.push({
      model: untrained,
      label: 'UNTRAINED export of the earlier default network (random weights; latency only)',
    });
  }
  if (out.length > 0) return out;
  return [
    {
      model: ModelRegistry.fromDisk().resolve('analytic-ve'),
      label:
        'the analytic TEST model (elementwise, not a network; run bench/make_untrained_model.py for a network)',
    },
  ];
}

/** A raw loop: session.run on the main thread with fixed inputs, no worker, no sampler. Mean ms per call. */
async function rawLoop(session: ort.InferenceSession, b: number, iters: number): Promise<number> {
  const dims = [b, 3, 128, 128];
  const x = new ort.Tensor('float32', new Float32Array(b * ITEM_VALUES).fill(0.5), dims);
  const y = new ort.Tensor('float32', new Float32Array(b * ITEM_VALUES).fill(0.25), dims);
  const start = performance.now();
  for (let i = 0; i < iters; i++) {
    await session.run({ x, y, t: new ort.Tensor('float32', new Float32Array(b).fill(1 - i / iters), [b]) });
  }
  return (performance.now() - start) / iters;
}

const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;

/** Runs the benchmark on each model and prints its tables. */
export async function run(): Promise<void> {
  for (const { model, label } of benchModels()) await benchOne(model, label);
  console.log(`\npeak RSS of the bench process: ${mib(process.resourceUsage().maxRSS * 1024)}`);
}

async function benchOne(model: RegisteredModel, label: string): Promise<void> {
  console.log('');
  const threads = physicalCores();
  const m = model.manifest;
  console.log(
    `model: ${m.id} (${m.sde}, ${m.params} params, ${(m.flops / 1e9).toFixed(2)} GFLOP) — ${label}`,
  );
  const slow = m.flops > 1e9;
  const rounds = slow ? 1 : 3;
  console.log(
    `threads: ${threads} (physical cores), provider: cpu, onnxruntime ${ort.env.versions?.node ?? '?'}`,
  );

  const session = await ort.InferenceSession.create(
    await readVerifiedModel(model),
    sessionOptions('cpu', threads),
  );
  const engine = new InferenceEngine();
  const spec: ModelSpec = { entry: model, provider: 'cpu', threads };
  await rawLoop(session, 1, 1);
  await engine.run({ kind: 'score-loop', model: spec, batch: 1, steps: 1 });

  console.log(
    '\n| batch | raw ORT ms/NFE | worker ScoreFn ms/NFE | worker - raw, ms | worker vs raw | ms/NFE/item |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|');
  const rawPerNfe = new Map<number, number>();
  for (const b of [1, 4, 8]) {
    const probe = await rawLoop(session, b, 1); // also the warm-up of this batch size
    const iters = itersFor(probe);
    // Alternate the two loops and keep the best of three (one for a slow model): the machine is shared.
    let raw = Infinity;
    let viaWorker = Infinity;
    for (let round = 0; round < rounds; round++) {
      raw = Math.min(raw, await rawLoop(session, b, iters));
      const out = await engine.run<ScoreLoopResult>({
        kind: 'score-loop',
        model: spec,
        batch: b,
        steps: iters,
      });
      if (out.status !== 'done') throw new Error('bench loop was cancelled');
      viaWorker = Math.min(viaWorker, out.result.telemetry.wallMs / iters);
    }
    rawPerNfe.set(b, raw);
    const overhead = ((viaWorker - raw) / raw) * 100;
    console.log(
      `| ${b} | ${raw.toFixed(2)} | ${viaWorker.toFixed(2)} | ${(viaWorker - raw).toFixed(2)} | ${overhead.toFixed(1)} % | ${(viaWorker / b).toFixed(2)} |`,
    );
  }

  // The whole sampler: the fast preset, 4 candidates in one ORT call per step, on a warm worker.
  const crop = {
    width: 128,
    height: 128,
    data: new Float32Array(128 * 128 * 3).map((_, i) => (i % 383) / 383),
  };
  const lr = formLr(crop);
  const rawAt4 = slow ? rawPerNfe.get(4)! : await rawLoop(session, 4, itersFor(await rawLoop(session, 4, 3)));
  console.log(
    '\n| preset | K | ORT batch | NFE | sampling s | ORT s | sampler overhead (% of NFE time) | ms/NFE vs raw ORT at B=4 | whole job s | candidates/min | worker peak RSS |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  // Batched (one ORT call per step for all 4) and split to batch 1 by a tiny memory cap, for comparison.
  for (const cap of [undefined, 1]) {
    const settings = RunSettingsSchema.parse({
      modelId: m.id,
      preset: 'fast',
      candidates: 4,
      seed: '2022',
      threads,
    });
    let best: EnhanceResult | null = null;
    for (let round = 0; round < rounds; round++) {
      const out = await enhance(engine, { settings, model, lr, crop, memoryCapBytes: cap });
      if (out.status !== 'done') throw new Error('bench run was cancelled');
      if (!best || out.result.telemetry.samplingMs < best.telemetry.samplingMs) best = out.result;
    }
    const t = best!.telemetry;
    const overhead = ((t.samplingMs - t.ortMs) / t.ortMs) * 100;
    const perNfe = t.samplingMs / t.nfe;
    const vsRaw = ((perNfe - rawAt4) / rawAt4) * 100;
    console.log(
      `| fast | 4 | ${t.maxBatch} | ${t.nfe} | ${(t.samplingMs / 1000).toFixed(2)} | ${(t.ortMs / 1000).toFixed(2)} | ` +
        `${overhead.toFixed(1)} % | ${perNfe.toFixed(2)} vs ${rawAt4.toFixed(2)} (${vsRaw.toFixed(1)} %) | ` +
        `${(t.wallMs / 1000).toFixed(2)} | ${((4 / t.wallMs) * 60_000).toFixed(1)} | ${mib(t.peakRssBytes)} |`,
    );
  }
  await session.release();
  await engine.close();
}
