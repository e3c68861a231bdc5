import { AxisBottom } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import { Bar, Line } from '@visx/shape';

/** One bar: its key (a comparison id: labels may repeat), a label (e.g. "Run 1 · candidate 2") and a cosine in [-1, 1]. */
export interface SimilarityBar {
  readonly id: string;
  readonly label: string;
  readonly value: number;
}

/**
 * Horizontal bars of cosine similarity in the order given (a stable order, never re-ranked by score), with an
 * optional reference line. Negative scores are drawn leftwards from 0.
 */
export function SimilarityBars(props: {
  readonly bars: readonly SimilarityBar[];
  readonly width?: number;
  readonly threshold?: { readonly value: number; readonly label: string };
  readonly title: string;
}) {
  const width = props.width ?? 520;
  const rowH = 20;
  const margin = { top: 4, right: 48, bottom: 26, left: 150 };
  const bars = props.bars;
  const innerW = width - margin.left - margin.right;
  const innerH = Math.max(rowH, bars.length * rowH);
  const height = innerH + margin.top + margin.bottom;
  const lowest = Math.min(0, ...bars.map((b) => b.value));
  const x = scaleLinear<number>({
    domain: [lowest < 0 ? Math.max(-1, Math.floor(lowest * 10) / 10) : 0, 1],
    range: [0, innerW],
    clamp: true,
  });
  const y = scaleBand<string>({ domain: bars.map((b) => b.id), range: [0, innerH], padding: 0.25 });
  const zero = x(0);
  return (
    <svg width={width} height={height} role="img" aria-label={props.title} className="chart">
      <Group left={margin.left} top={margin.top}>
        {bars.map((b) => {
          const top = y(b.id) ?? 0;
          const end = x(b.value);
          return (
            <g key={b.id} data-testid="similarity-bar" data-comparison-id={b.id}>
              <text x={-6} y={top + y.bandwidth() / 2} dy="0.35em" textAnchor="end" className="chart-label">
                {b.label}
              </text>
              <Bar
                x={Math.min(zero, end)}
                y={top}
                width={Math.max(1, Math.abs(end - zero))}
                height={y.bandwidth()}
                className={b.value < 0 ? 'chart-bar chart-bar-negative' : 'chart-bar'}
              />
              <text
                x={Math.max(zero, end) + 4}
                y={top + y.bandwidth() / 2}
                dy="0.35em"
                className="chart-value"
              >
                {b.value.toFixed(3)}
              </text>
            </g>
          );
        })}
        {lowest < 0 && <Line from={{ x: zero, y: 0 }} to={{ x: zero, y: innerH }} className="chart-axis" />}
        {props.threshold && (
          <g>
            <Line
              from={{ x: x(props.threshold.value), y: 0 }}
              to={{ x: x(props.threshold.value), y: innerH }}
              className="chart-threshold"
            />
            <title>{props.threshold.label}</title>
          </g>
        )}
        <AxisBottom
          top={innerH}
          scale={x}
          numTicks={5}
          label="Cosine similarity (1 = same direction)"
          axisClassName="chart-axis"
          tickLabelProps={{ className: 'chart-tick' }}
          labelProps={{ className: 'chart-tick' }}
        />
      </Group>
    </svg>
  );
}
