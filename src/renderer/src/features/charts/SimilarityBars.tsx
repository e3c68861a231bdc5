import { AxisBottom } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import { Bar, Line } from '@visx/shape';

/** One bar: a label (e.g. "Candidate 2") and its cosine similarity in [-1, 1]. */
export interface SimilarityBar {
  readonly label: string;
  readonly value: number;
}

/**
 * Ranked horizontal bars of cosine similarity, highest first, with an optional reference line (e.g. the
 * similarity above which 99% of different-person pairs fall short).
 */
export function SimilarityBars(props: {
  readonly bars: readonly SimilarityBar[];
  readonly width?: number;
  readonly threshold?: { readonly value: number; readonly label: string };
  readonly title: string;
}) {
  const width = props.width ?? 520;
  const rowH = 20;
  const margin = { top: 4, right: 48, bottom: 26, left: 130 };
  const sorted = [...props.bars].sort((a, b) => b.value - a.value);
  const innerW = width - margin.left - margin.right;
  const innerH = Math.max(rowH, sorted.length * rowH);
  const height = innerH + margin.top + margin.bottom;
  const x = scaleLinear<number>({ domain: [0, 1], range: [0, innerW], clamp: true });
  const y = scaleBand<string>({
    domain: sorted.map((b, i) => `${i}`),
    range: [0, innerH],
    padding: 0.25,
  });
  return (
    <svg width={width} height={height} role="img" aria-label={props.title} className="chart">
      <Group left={margin.left} top={margin.top}>
        {sorted.map((b, i) => {
          const top = y(`${i}`) ?? 0;
          return (
            <g key={b.label} data-testid="similarity-bar">
              <text x={-6} y={top + y.bandwidth() / 2} dy="0.35em" textAnchor="end" className="chart-label">
                {b.label}
              </text>
              <Bar
                x={0}
                y={top}
                width={x(Math.max(0, b.value))}
                height={y.bandwidth()}
                className={i === 0 ? 'chart-bar chart-bar-top' : 'chart-bar'}
              />
              <text
                x={x(Math.max(0, b.value)) + 4}
                y={top + y.bandwidth() / 2}
                dy="0.35em"
                className="chart-value"
              >
                {b.value.toFixed(3)}
              </text>
            </g>
          );
        })}
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
