/** An RGB image: interleaved (HWC) float32 values in [0,1], row-major from the top-left pixel. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

/** A point in image pixel coordinates (x right, y down; pixel (0,0) covers [0,1)x[0,1)). */
export interface Point {
  readonly x: number;
  readonly y: number;
}
