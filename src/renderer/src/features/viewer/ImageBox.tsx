import { Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ViewerMetric } from './types';

/**
 * A titled square frame for one image (or stack), with its provenance caption in a strip under the frame (never
 * over the pixels: the mouth and chin stay visible) and its metrics under that. `ai` colours the strip red.
 */
export function ImageBox(props: {
  readonly title: string;
  readonly size: number;
  readonly caption: string;
  readonly ai: boolean;
  readonly metrics?: readonly ViewerMetric[];
  readonly testId?: string;
  readonly children: ReactNode;
}) {
  return (
    <figure className="image-box" data-testid={props.testId} style={{ width: props.size }}>
      <Text size="xs" fw={600} truncate>
        {props.title}
      </Text>
      <div className="image-frame" style={{ width: props.size, height: props.size }}>
        {props.children}
      </div>
      <figcaption
        className={props.ai ? 'caption-strip ai' : 'caption-strip'}
        data-testid="caption-strip"
        data-ai={props.ai ? 'yes' : 'no'}
      >
        {props.caption}
      </figcaption>
      {props.metrics && props.metrics.length > 0 && (
        <dl className="metrics">
          {props.metrics.map((m) => (
            <Tooltip key={m.label} label={m.hint ?? m.label} disabled={!m.hint} multiline w={260}>
              <div className="metric">
                <dt>{m.label}</dt>
                <dd>{m.value}</dd>
              </div>
            </Tooltip>
          ))}
        </dl>
      )}
    </figure>
  );
}
