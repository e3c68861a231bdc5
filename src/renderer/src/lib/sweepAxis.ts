/**
 * The y axis of an r sweep chart: it starts at a stated baseline (0 for an error such as consistency's MSE, 0 for
 * a cosine similarity), never at the lowest value, so a difference of 0.2 between r values is drawn as the small
 * difference it is; the label names the metric, its unit and the baseline, and the spread of the values is
 * written out beside the chart.
 */

export interface SweepAxisSpec {
  /** What is measured, e.g. "Consistency". */
  readonly metric: string;
  /** Its unit, e.g. "MSE, 8-bit levels²" or "cosine". */
  readonly unit: string;
  /** Where the axis starts (it goes lower only if a value is below it). */
  readonly baseline: number;
  /** A fixed top of the axis (e.g. 1 for a cosine); default: a little above the highest value. */
  readonly top?: number;
  /** Decimals the spread is written with. */
  readonly digits?: number;
}

export interface SweepAxis {
  /** The y domain, [start, end]; start is the baseline unless a value lies below it. */
  readonly domain: readonly [number, number];
  /** "Consistency (MSE, 8-bit levels²) · axis from 0". */
  readonly label: string;
  /** "spread across r: 0.20 (12.31 to 12.51)". */
  readonly spread: string;
}

/** The axis for these values (at least one). */
export function sweepAxis(values: readonly number[], spec: SweepAxisSpec): SweepAxis {
  const digits = spec.digits ?? 2;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const start = Math.min(spec.baseline, min);
  const end = spec.top !== undefined && spec.top >= max ? spec.top : max + (max - start) * 0.1 || start + 1;
  const f = (v: number) => v.toFixed(digits);
  return {
    domain: [start, end],
    label: `${spec.metric} (${spec.unit}) · axis from ${Number(f(start))}`,
    spread: `spread across r: ${f(max - min)} (${f(min)} to ${f(max)})`,
  };
}
