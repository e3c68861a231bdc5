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
import { ModelRegistry } from '../src/main/inference/registry';
import { ITEM_VALUES } from '../src/main/inference/score-model';
import { physicalCores } from '../src/main/inference/threads';

/** Calls of each configuration: enough for a stable mean on a slow model, capped for a fast one. */
function itersFor(msPerCall: number): number {
  return Math.max(5, Math.min(100, Math.round(1000 / Math.max(msPerCall, 0.01))));
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

/** Runs the benchmark and prints its tables. */
export async function run(): Promise<void> {
  const registry = ModelRegistry.fromDisk();
  const model = registry.best();
  const threads = physicalCores();
  const m = model.manifest;
  console.log(
    `model: ${m.id} (${m.sde}, ${m.params} params, ${(m.flops / 1e9).toFixed(3)} GFLOP)` +
      (model.isTestModel
        ? ' — the analytic TEST model (no trained model in models/): elementwise, not a network'
        : ''),
  );
  console.log(
    `threads: ${threads} (physical cores), provider: cpu, onnxruntime ${ort.env.versions?.node ?? '?'}`,
  );

  const session = await ort.InferenceSession.create(
    await readVerifiedModel(model),
    sessionOptions('cpu', threads),
  );
  const engine = new InferenceEngine();
  const spec: ModelSpec = { entry: model, provider: 'cpu', threads };
  await rawLoop(session, 1, 3);
  await engine.run({ kind: 'score-loop', model: spec, batch: 1, steps: 3 });

  console.log('\n| batch | raw ORT ms/NFE | worker ScoreFn ms/NFE | worker vs raw | ms/NFE/item |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const b of [1, 4, 8]) {
    const probe = await rawLoop(session, b, 3);
    const iters = itersFor(probe);
    // Alternate the two loops and keep the best of three: the machine is shared, so the minimum is the signal.
    let raw = Infinity;
    let viaWorker = Infinity;
    for (let round = 0; round < 3; round++) {
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
    const overhead = ((viaWorker - raw) / raw) * 100;
    console.log(
      `| ${b} | ${raw.toFixed(2)} | ${viaWorker.toFixed(2)} | ${overhead.toFixed(1)} % | ${(viaWorker / b).toFixed(2)} |`,
    );
  }

  // The whole sampler: the fast preset, 4 candidates in one ORT call per step, on a warm worker.
  const crop = {
    width: 128,
    height: 128,
    data: new Float32Array(128 * 128 * 3).map((_, i) => (i % 383) / 383),
  };
  const lr = formLr(crop);
  const rawAt4 = await rawLoop(session, 4, itersFor(await rawLoop(session, 4, 3)));
  console.log(
    '\n| preset | K | NFE | sampling s | ORT s | sampler overhead (% of NFE time) | ms/NFE vs raw ORT at B=4 | whole job s | candidates/min |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const preset of ['fast'] as const) {
    const settings = RunSettingsSchema.parse({ modelId: m.id, preset, candidates: 4, seed: '2022', threads });
    let best: EnhanceResult | null = null;
    for (let round = 0; round < 3; round++) {
      const out = await enhance(engine, { settings, model, lr, crop });
      if (out.status !== 'done') throw new Error('bench run was cancelled');
      if (!best || out.result.telemetry.samplingMs < best.telemetry.samplingMs) best = out.result;
    }
    const t = best!.telemetry;
    const overhead = ((t.samplingMs - t.ortMs) / t.ortMs) * 100;
    const perNfe = t.samplingMs / t.nfe;
    console.log(
      `| ${preset} | 4 | ${t.nfe} | ${(t.samplingMs / 1000).toFixed(2)} | ${(t.ortMs / 1000).toFixed(2)} | ` +
        `${overhead.toFixed(1)} % | ${perNfe.toFixed(2)} vs ${rawAt4.toFixed(2)} (${(((perNfe - rawAt4) / rawAt4) * 100).toFixed(1)} %) | ` +
        `${(t.wallMs / 1000).toFixed(2)} | ${((4 / t.wallMs) * 60_000).toFixed(1)} |`,
    );
  }
  await session.release();
  await engine.close();
  console.log(`\npeak RSS of the bench process: ${mib(process.resourceUsage().maxRSS * 1024)}`);
}
