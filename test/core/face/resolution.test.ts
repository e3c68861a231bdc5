import { describe, expect, it } from 'vitest';
import { alignFace } from '../../../src/core/face/align';
import {
  C1_INTER_OCULAR_PX,
  interOcularPx,
  MODEL_INTER_OCULAR_PX,
  RESOLUTION_WARN_PX,
  resolutionCheck,
} from '../../../src/core/face/resolution';

describe('face resolution in the still', () => {
  it('derives the thresholds from C1 and the 16x16 input', () => {
    expect(C1_INTER_OCULAR_PX).toBeCloseTo(40.27, 2);
    expect(MODEL_INTER_OCULAR_PX).toBeCloseTo(5.03, 2);
    expect(RESOLUTION_WARN_PX).toBeCloseTo(10.07, 2);
  });

  it('reads the eye distance back from an alignment transform', () => {
    const img = { width: 400, height: 400, data: new Float32Array(400 * 400 * 3) };
    const { transform } = alignFace(img, [
      { x: 100, y: 200 },
      { x: 180, y: 200 },
    ]);
    expect(interOcularPx(transform)).toBeCloseTo(80, 6);
  });

  it('warns for a 100 px face and not for a 16 px one', () => {
    // An aligned crop of side s is scaled by 128/s onto C1 (transform [128/s, 0, 0, 0, 128/s, 0]).
    const big = resolutionCheck([128 / 100, 0, 0, 0, 128 / 100, 0]);
    expect(big.interOcularPx).toBeCloseTo(31.5, 1);
    expect(big.warning).toMatch(/31 px between the eyes/);
    const lr16 = resolutionCheck([8, 0, 0, 0, 8, 0]);
    expect(lr16.interOcularPx).toBeCloseTo(5.03, 2);
    expect(lr16.warning).toBeNull();
  });
});
