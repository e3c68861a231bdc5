import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleLinear } from '@visx/scale';
import { LinePath } from '@visx/shape';
import { sweepAxis } from '../../lib/sweepAxis';

/** One point of an r sweep: the signal-to-noise ratio r and the measured value. */
export interface SweepPoint {
  readonly r: number;
  readonly value: number;
}

/**
 * A metric measured across r (e.g. identity similarity or consistency for SDE-VEcs), as a line with points. The y
 * axis starts at the stated baseline (never at the lowest value, which would magnify small differences), its label
 * names the unit and the baseline, and the spread of the values across r is written above the plot.
 */
export function RSweepChart(props: {
  readonly points: readonly SweepPoint[];
  readonly metric: string;
  /** The metric's unit, e.g. "MSE, 8-bit levels²" or "cosine". */
  readonly unit: string;
  /** Where the y axis starts: 0 for an error or a similarity (lower only if a value lies below it). */
  readonly baseline: number;
  /** A fixed top of the y axis (e.g. 1 for a cosine); default: a little above the highest value. */
  readonly top?: number;
  /** Decimals of the stated spread (default 2). */
  readonly digits?: number;
  /** The best point is the lowest (e.g. consistency), not the highest (e.g. similarity). */
  readonly lowerIsBetter?: boolean;
  /** Mark the best point (default). Off for measures where "best" would read as a finding (similarity). */
  readonly markBest?: boolean;
  readonly width?: number;
  readonly height?: number;
}) {
  const width = props.width ?? 420;
  const height = props.height ?? 240;
  // The y axis's label (metric, unit, baseline) and the spread are written across the top, where they fit.
  const margin = { top: 38, right: 16, bottom: 40, left: 52 };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const pts = [...props.points].sort((a, b) => a.r - b.r);
  const rs = pts.map((p) => p.r);
  const axis = sweepAxis(
    pts.map((p) => p.value),
    {
      metric: props.metric,
      unit: props.unit,
      baseline: props.baseline,
      top: props.top,
      digits: props.digits,
    },
  );
  const x = scaleLinear<number>({ domain: [Math.min(...rs), Math.max(...rs)], range: [0, innerW] });
  // nice() only widens the domain outwards, so the axis still starts at the baseline when it is a round number.
  const y = scaleLinear<number>({ domain: [...axis.domain], range: [innerH, 0], nice: true });
  const better = (a: SweepPoint, b: SweepPoint) =>
    props.lowerIsBetter ? b.value < a.value : b.value > a.value;
  const best =
    props.markBest === false
      ? null
      : pts.reduce<SweepPoint | null>((a, b) => (a === null || better(a, b) ? b : a), null);
  return (
    <svg
      width={width}
      height={height}
      role="img"
      aria-label={`${props.metric} against r, ${axis.label}, ${axis.spread}`}
      className="chart"
      data-y-start={y.domain()[0]}
    >
      <text x={4} y={12} className="chart-tick" data-testid="sweep-y-label">
        {axis.label}
      </text>
      <text x={4} y={26} className="chart-tick" data-testid="sweep-spread">
        {axis.spread}
      </text>
      <Group left={margin.left} top={margin.top}>
        <LinePath data={pts} x={(p) => x(p.r)} y={(p) => y(p.value)} className="chart-line" />
        {pts.map((p) => (
          <circle
            key={p.r}
            cx={x(p.r)}
            cy={y(p.value)}
            r={p === best ? 4.5 : 3}
            className={p === best ? 'chart-point chart-point-best' : 'chart-point'}
            data-testid="sweep-point"
          >
            <title>{`r = ${p.r}: ${props.metric} ${p.value.toFixed(3)} (${props.unit})`}</title>
          </circle>
        ))}
        <AxisLeft
          scale={y}
          numTicks={5}
          axisClassName="chart-axis"
          tickLabelProps={{ className: 'chart-tick' }}
        />
        <AxisBottom
          top={innerH}
          scale={x}
          numTicks={6}
          label="r (signal-to-noise ratio) — higher: smoother · lower: more detailed"
          axisClassName="chart-axis"
          tickLabelProps={{ className: 'chart-tick' }}
          labelProps={{ className: 'chart-tick' }}
        />
      </Group>
    </svg>
  );
}
