import { Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { GENERATED_LABEL, type ViewerMetric } from './types';

/** A titled square frame for one image (or stack), with the generated label and metrics under it. */
export function ImageBox(props: {
  readonly title: string;
  readonly size: number;
  readonly generated: boolean;
  readonly metrics?: readonly ViewerMetric[];
  readonly testId?: string;
  readonly children: ReactNode;
}) {
  return (
    <figure className="image-box" data-testid={props.testId} style={{ width: props.size }}>
      <Text component="figcaption" size="xs" fw={600} truncate>
        {props.title}
      </Text>
      <div className="image-frame" style={{ width: props.size, height: props.size }}>
        {props.children}
        {props.generated && <div className="ai-label">{GENERATED_LABEL}</div>}
      </div>
      {props.metrics && props.metrics.length > 0 && (
        <dl className="metrics">
          {props.metrics.map((m) => (
            <Tooltip key={m.label} label={m.hint ?? m.label} disabled={!m.hint} multiline w={240}>
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
