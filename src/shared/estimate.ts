/** The run-time estimate before a run starts: the plan's network evaluations x the measured ms per evaluation. */
import type { NfeCost, ProviderName } from './contract';

/** Estimated run time in ms, or null without a plan or a measured cost. */
export function estimateMs(nfe: number | null, msPerNfe: number | null): number | null {
  if (nfe === null || msPerNfe === null) return null;
  return nfe * msPerNfe;
}

/** The measured cost for exactly this model, provider and batch; past runs before a benchmark. Null if none. */
export function costFor(
  costs: readonly NfeCost[],
  modelId: string,
  provider: ProviderName,
  batch: number,
): NfeCost | null {
  const hits = costs.filter((c) => c.modelId === modelId && c.provider === provider && c.batch === batch);
  return hits.find((c) => c.source === 'runs') ?? hits[0] ?? null;
}

/** A duration as m:ss (h:mm:ss from an hour). */
export function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}
