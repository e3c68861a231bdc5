/**
 * The score models a run may use, the execution providers on this machine, and the measured cost of one network
 * evaluation (NFE): the median over finished runs (their wall time / their NFE), or a benchmark in the worker.
 */
import type { ModelList, NfeCost, ProviderName, ReproRecord } from '../../shared/contract';
import { ReproRecordSchema } from '../../shared/contract';
import { FacetError } from '../../shared/errors';
import type { Db } from '../db/database';
import type { ModelRegistry } from '../inference/registry';
import { presetRules } from './preset-rules';
import type { RunExecutor } from '../inference/run-executor';

/** Network evaluations of one candidate batch under a sampler (PC N(1+M), Heun 2N-1, DPM-Solver N). */
export function nfeOfSampler(s: ReproRecord['sampler']): number {
  switch (s.kind) {
    case 'pc':
      return s.steps * ((s.predictor === 'none' ? 0 : 1) + (s.corrector === 'none' ? 0 : s.correctorSteps));
    case 'heun':
      return 2 * s.steps - 1;
    case 'dpm-solver':
      return s.steps;
  }
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

interface RunRow {
  record: string;
  started_at: string;
  finished_at: string;
}

/** Lists models and providers, and keeps the measured per-NFE costs. */
export class ModelService {
  private readonly benchmarks = new Map<string, NfeCost>();

  constructor(
    private readonly db: Db,
    private readonly registry: () => ModelRegistry,
    private readonly executor: RunExecutor | null,
    private readonly providers: () => { name: ProviderName; note: string | null }[],
  ) {}

  /** Every usable model, the providers, and every measured cost. */
  list(): ModelList {
    const models = this.registry().models.map((m) => ({
      id: m.manifest.id,
      sde: m.manifest.sde,
      dataRange: m.manifest.data_range,
      params: m.manifest.params,
      flops: m.manifest.flops,
      trainedOnFaces: m.manifest.training.images_seen > 0,
      licence: m.manifest.training.licence,
      testOnly: m.isTestModel,
    }));
    return {
      models,
      providers: this.providers(),
      costs: [...this.runCosts(), ...this.benchmarks.values()],
      presets: presetRules(),
    };
  }

  /** Median ms per NFE per (model, provider, batch) over finished runs: wall time from start to finish / NFE. */
  runCosts(): NfeCost[] {
    const rows = this.db
      .prepare(
        "SELECT record, started_at, finished_at FROM runs WHERE status = 'done' AND record IS NOT NULL " +
          'AND started_at IS NOT NULL AND finished_at IS NOT NULL',
      )
      .all() as RunRow[];
    const groups = new Map<string, { key: Omit<NfeCost, 'msPerNfe' | 'samples' | 'source'>; ms: number[] }>();
    for (const row of rows) {
      const parsed = ReproRecordSchema.safeParse(JSON.parse(row.record));
      if (!parsed.success) continue; // an unreadable record says nothing about cost
      const r = parsed.data;
      const nfe = nfeOfSampler(r.sampler);
      const wall = Date.parse(row.finished_at) - Date.parse(row.started_at);
      if (!(nfe > 0) || !(wall >= 0)) continue;
      const key = { modelId: r.model.id, provider: r.provider, batch: r.candidates };
      const k = `${key.modelId}|${key.provider}|${key.batch}`;
      const g = groups.get(k) ?? { key, ms: [] };
      g.ms.push(wall / nfe);
      groups.set(k, g);
    }
    return [...groups.values()].map((g) => ({
      ...g.key,
      msPerNfe: median(g.ms),
      source: 'runs' as const,
      samples: g.ms.length,
    }));
  }

  /** Times a few forwards of a model at a batch in the inference worker (queued behind running jobs). */
  async benchmark(input: {
    modelId: string;
    provider: ProviderName;
    batch: number;
  }): Promise<NfeCost & { providerFallback: string | null }> {
    if (!this.executor?.benchmark) {
      throw new FacetError('conflict', 'No inference engine is running here, so nothing can be timed.');
    }
    const model = this.registry().resolve(input.modelId);
    const out = await this.executor.benchmark({ ...input, modelId: model.manifest.id });
    const cost: NfeCost = {
      modelId: model.manifest.id,
      provider: out.provider,
      batch: input.batch,
      msPerNfe: out.msPerNfe,
      source: 'benchmark',
      samples: out.forwards,
    };
    this.benchmarks.set(`${cost.modelId}|${cost.provider}|${cost.batch}`, cost);
    return { ...cost, providerFallback: out.providerFallback };
  }
}
