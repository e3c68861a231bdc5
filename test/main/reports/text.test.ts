import { describe, expect, it } from 'vitest';
import { comparisonLrLine } from '../../../src/main/reports/text';

describe('comparisonLrLine', () => {
  it('gives the LR line, or why a comparison has none, or nothing for records that predate both', () => {
    expect(
      comparisonLrLine({
        lrLog10: -1.08,
        lrVerbal: 'moderate support for different persons',
        lrCondition: 'c',
        lrCllr: 0.6,
        lrCalibratedFor: 'one SR candidate from a 16x16 face vs photo',
      }),
    ).toBe(
      'LR 1/12 (log10 -1.08): moderate support for different persons; calibrated for one SR candidate from a 16x16 face vs photo, held-out Cllr 0.60',
    );
    expect(comparisonLrLine({ lrWithheld: 'no calibration for photo vs photo' })).toBe(
      'no LR: no calibration for photo vs photo',
    );
    expect(comparisonLrLine({ runId: 'r' })).toBeNull();
  });
});
