/** Progress events at a sensible rate: the first step, then at most every `intervalMs`, and always the last. */
import type { EngineProgress } from './protocol';

/** Turns per-step ticks into throttled progress events with an ETA from the mean step time so far. */
export class ProgressMeter {
  private readonly start = performance.now();
  private lastEmit = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly emit: (p: EngineProgress) => void,
    private readonly intervalMs = 100,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Records that `step` of `total` steps are done after `nfe` network evaluations. */
  tick(step: number, total: number, nfe: number): void {
    const t = this.now();
    if (step < total && step > 1 && t - this.lastEmit < this.intervalMs) return;
    this.lastEmit = t;
    const elapsedMs = t - this.start;
    const etaMs = step > 0 ? (elapsedMs / step) * (total - step) : null;
    this.emit({ step, total, nfe, elapsedMs, etaMs });
  }
}
