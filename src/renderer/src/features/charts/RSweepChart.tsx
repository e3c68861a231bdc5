import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleLinear } from '@visx/scale';
import { LinePath } from '@visx/shape';

/** One point of an r sweep: the signal-to-noise ratio r and the measured value. */
export interface SweepPoint {
  readonly r: number;
  readonly value: number;
}

/** A metric measured across r (e.g. identity similarity or PSNR for SDE-VEcs), as a line with points. */
export function RSweepChart(props: {
  readonly points: readonly SweepPoint[];
  readonly metric: string;
  /** The best point is the lowest (e.g. consistency), not the highest (e.g. similarity). */
  readonly lowerIsBetter?: boolean;
  /** Mark the best point (default). Off for measures where "best" would read as a finding (similarity). */
  readonly markBest?: boolean;
  readonly width?: number;
  readonly height?: number;
}) {
  const width = props.width ?? 420;
  const height = props.height ?? 220;
  const margin = { top: 10, right: 16, bottom: 40, left: 52 };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const pts = [...props.points].sort((a, b) => a.r - b.r);
  const rs = pts.map((p) => p.r);
  const vs = pts.map((p) => p.value);
  const pad = (Math.max(...vs) - Math.min(...vs)) * 0.1 || 0.01;
  const x = scaleLinear<number>({ domain: [Math.min(...rs), Math.max(...rs)], range: [0, innerW] });
  const y = scaleLinear<number>({
    domain: [Math.min(...vs) - pad, Math.max(...vs) + pad],
    range: [innerH, 0],
    nice: true,
  });
  const better = (a: SweepPoint, b: SweepPoint) =>
    props.lowerIsBetter ? b.value < a.value : b.value > a.value;
  const best =
    props.markBest === false
      ? null
      : pts.reduce<SweepPoint | null>((a, b) => (a === null || better(a, b) ? b : a), null);
  return (
    <svg width={width} height={height} role="img" aria-label={`${props.metric} against r`} className="chart">
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
            <title>{`r = ${p.r}: ${props.metric} ${p.value.toFixed(3)}`}</title>
          </circle>
        ))}
        <AxisLeft
          scale={y}
          numTicks={5}
          label={props.metric}
          axisClassName="chart-axis"
          tickLabelProps={{ className: 'chart-tick' }}
          labelProps={{ className: 'chart-tick' }}
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
