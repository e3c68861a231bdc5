/** Image operations of the core: C2 resampling and LR formation, tensors, LR data-consistency projection. */
export { conditioning, consistency, downscaleX8, formLr, LR_FACTOR, quantise8 } from './lr';
export { createLrProjection } from './projection';
export { axisTaps, keysCubic, resize } from './resample';
export type { AxisTaps } from './resample';
export { fromChw, toChw } from './tensor';
export type { Point, RgbImage } from './types';
