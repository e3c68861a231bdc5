/** Keeps several zoom/pan panes on one transform: moving one moves all (same-size panes, same coordinates). */
import { useCallback, useMemo, useRef } from 'react';
import type { ReactZoomPanPinchRef } from 'react-zoom-pan-pinch';

/** The shared state of synchronised panes. */
export interface ZoomSync {
  /** Ref callback factory: register a pane under `id`. */
  readonly register: (id: string) => (ref: ReactZoomPanPinchRef | null) => void;
  /** Pass to each pane's onTransform. */
  readonly onTransform: (ref: ReactZoomPanPinchRef) => void;
  readonly zoomIn: () => void;
  readonly zoomOut: () => void;
  readonly reset: () => void;
}

/** One synchronisation group. */
export function useZoomSync(): ZoomSync {
  const panes = useRef(new Map<string, ReactZoomPanPinchRef>());
  const syncing = useRef(false);

  const register = useCallback(
    (id: string) => (ref: ReactZoomPanPinchRef | null) => {
      if (ref) panes.current.set(id, ref);
      else panes.current.delete(id);
    },
    [],
  );

  const onTransform = useCallback((source: ReactZoomPanPinchRef) => {
    if (syncing.current) return;
    syncing.current = true;
    const { positionX, positionY, scale } = source.state;
    for (const pane of panes.current.values()) {
      if (pane.instance !== source.instance) pane.setTransform(positionX, positionY, scale, 0);
    }
    syncing.current = false;
  }, []);

  const first = () => panes.current.values().next().value;
  return useMemo(
    () => ({
      register,
      onTransform,
      // Zoom one pane without animation; onTransform carries it to the others.
      zoomIn: () => first()?.zoomIn(0.5, 0),
      zoomOut: () => first()?.zoomOut(0.5, 0),
      reset: () => first()?.resetTransform(0),
    }),
    [register, onTransform],
  );
}
