import type { Point } from '../image/types';

/** Side of the canonical face frame C1 in pixels. */
export const CANONICAL_SIZE = 128;

/**
 * The C1 five-point template (DESIGN.md C1): the ArcFace 112x112 template scaled by 128/112, in the order
 * image-left eye centre (subject's right eye), image-right eye centre, nose tip, image-left mouth corner,
 * image-right mouth corner. Coordinates follow the `Point` convention (continuous pixel coordinates).
 */
export const C1_TEMPLATE: readonly Point[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
].map(([x, y]) => ({ x: (x! * CANONICAL_SIZE) / 112, y: (y! * CANONICAL_SIZE) / 112 }));
