import type { ReactNode } from 'react';
import { TransformComponent, TransformWrapper } from 'react-zoom-pan-pinch';
import type { ZoomSync } from './useZoomSync';

/** A zoom/pan pane (wheel to zoom, drag to pan, double-click to zoom in) tied to a sync group. */
export function ZoomPane(props: {
  readonly id: string;
  readonly sync: ZoomSync;
  readonly size: number;
  readonly children: ReactNode;
}) {
  return (
    <TransformWrapper
      ref={props.sync.register(props.id)}
      onTransform={props.sync.onTransform}
      minScale={1}
      maxScale={32}
      limitToBounds
      doubleClick={{ mode: 'zoomIn', step: 0.7 }}
      wheel={{ step: 0.15 }}
    >
      <TransformComponent
        wrapperStyle={{ width: props.size, height: props.size }}
        contentStyle={{ width: props.size, height: props.size }}
      >
        {props.children}
      </TransformComponent>
    </TransformWrapper>
  );
}
