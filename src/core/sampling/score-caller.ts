/** The samplers' one way to call the score model: a batch at one time t, counted (NFE) and checked for NaN. */
import type { SampleRequest, Tensor } from './api';
import type { BatchShape } from './batch';

/** Calls the score model at a single time t for the whole batch and counts network evaluations. */
export class ScoreCaller {
  /** Network evaluations so far (one per batch call). */
  nfe = 0;
  private readonly tBuf: Float32Array;

  constructor(
    private readonly req: SampleRequest,
    private readonly shape: BatchShape,
  ) {
    this.tBuf = new Float32Array(shape.batch);
  }

  /** s_theta(x, y, t) for every batch item at time t. `x` is only read during the call. */
  async at(x: Float32Array, t: number): Promise<Float32Array> {
    this.tBuf.fill(t);
    const tensor: Tensor = { data: x, shape: this.shape.shape };
    const s = await this.req.score(tensor, this.req.y, this.tBuf);
    this.nfe++;
    if (s.length !== x.length) {
      throw new Error(`Score model returned ${s.length} values, expected ${x.length}.`);
    }
    // A NaN or infinity would silently poison every later step; fail with the time at which it appeared.
    for (let i = 0; i < s.length; i++) {
      if (!Number.isFinite(s[i]!)) throw new Error(`Score model returned a non-finite value at t = ${t}.`);
    }
    return s;
  }
}
