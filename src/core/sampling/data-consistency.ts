/** Optional LR data consistency: project a clean estimate through `req.project` (which works in [0,1]). */
import { dataRange } from '../sde';
import type { SampleRequest } from './api';
import type { BatchShape } from './batch';

/** Replace `x0` (data range of the request's SDE) in place by its projection; no-op without `req.project`. */
export function projectInPlace(req: SampleRequest, shape: BatchShape, x0: Float32Array): void {
  if (!req.project) return;
  const [lo, hi] = dataRange(req.sde.kind);
  const scale = hi - lo;
  const unit = new Float32Array(x0.length);
  for (let i = 0; i < x0.length; i++) unit[i] = (x0[i]! - lo) / scale;
  const p = req.project({ data: unit, shape: shape.shape });
  if (p.data.length !== x0.length) {
    throw new Error(`Data-consistency projection returned ${p.data.length} values, expected ${x0.length}.`);
  }
  for (let i = 0; i < x0.length; i++) x0[i] = p.data[i]! * scale + lo;
}
