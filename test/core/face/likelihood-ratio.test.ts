import { describe, expect, it } from 'vitest';
import {
  cllr,
  cllrMin,
  cllrOf,
  comparisonLr,
  fitLrCalibration,
  formatLr,
  likelihoodRatio,
  log10Lr,
  readComparisonLr,
  readLrWithheld,
  verbalScale,
  type ComparisonLrFields,
  type LrCalibrationFile,
} from '../../../src/core/face/likelihood-ratio';

/** Deterministic normal samples (LCG + Box-Muller). */
function normals(n: number, mean: number, sd: number, seed: number): number[] {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  const out: number[] = [];
  for (let i = 0; i < n; i++)
    out.push(mean + sd * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
  return out;
}

describe('score-to-LR calibration', () => {
  // Equal-variance Gaussians: ln LR(s) = ((s - 0.2)^2 - (s - 0.6)^2) / (2 * 0.1^2) = 40 s - 16.
  const genuine = normals(4000, 0.6, 0.1, 1);
  const impostor = normals(4000, 0.2, 0.1, 2);

  it('recovers the log LR of two equal-variance Gaussians', () => {
    const cal = fitLrCalibration(genuine, impostor);
    expect(cal.slope).toBeGreaterThan(36);
    expect(cal.slope).toBeLessThan(44);
    expect(cal.intercept / cal.slope).toBeCloseTo(-0.4, 1);
    expect(cal.maxLog10).toBeCloseTo(Math.log10(4000), 6);
  });

  it('bounds the LR to what the calibration data support', () => {
    const cal = fitLrCalibration(genuine.slice(0, 100), impostor.slice(0, 1000));
    expect(log10Lr(5, cal)).toBe(2);
    expect(log10Lr(-5, cal)).toBe(-2);
    expect(likelihoodRatio(5, cal).value).toBeCloseTo(100, 6);
  });

  it('Cllr: 1 bit for a system that always says LR = 1, 0 for a perfect one; Cllr_min <= Cllr', () => {
    expect(cllr([0, 0], [0, 0, 0])).toBeCloseTo(1, 12);
    expect(cllr([50], [-50])).toBeLessThan(1e-12);
    const cal = fitLrCalibration(genuine, impostor);
    const c = cllrOf(genuine, impostor, cal);
    const cmin = cllrMin(genuine, impostor);
    expect(c).toBeLessThan(1);
    expect(cmin).toBeLessThanOrEqual(c + 1e-9);
    // A miscalibrated map (LRs 100x too large) costs more than the fitted one.
    const off = { ...cal, intercept: cal.intercept + Math.log(100) };
    expect(cllrOf(genuine, impostor, off)).toBeGreaterThan(c + 0.05);
  });

  it('Cllr_min is 0 when the scores separate the classes, 1 when they carry no information', () => {
    expect(cllrMin([0.9, 0.8], [0.1, 0.2, 0.3])).toBeCloseTo(0, 12);
    expect(cllrMin([0.5, 0.5], [0.5, 0.5])).toBeCloseTo(1, 12);
  });

  it('verbal scale follows the ENFSI bands on both sides', () => {
    expect(verbalScale(0.1)).toBe('no support for either proposition');
    expect(verbalScale(0.5)).toBe('weak support for same person');
    expect(verbalScale(1.5)).toBe('moderate support for same person');
    expect(verbalScale(-2.5)).toBe('moderately strong support for different persons');
    expect(verbalScale(3.2)).toBe('strong support for same person');
  });

  it('a comparison carries the LR of its condition and reads it back; no calibration, no LR', () => {
    const cal = fitLrCalibration(genuine, impostor);
    const file = srCalibrationFile({
      calibration: cal,
      heldOut: [
        { cllr: 0.4, cllrMin: 0.3 },
        { cllr: 0.5, cllrMin: 0.3 },
      ],
      scoreModel: 'm',
    });
    const fields = comparisonLr(0.7, file, 'sr16-candidate0') as ComparisonLrFields;
    expect(fields.lrLog10).toBeCloseTo(log10Lr(0.7, cal), 3);
    expect(fields.lrCllr).toBe(0.5);
    expect(fields.lrCalibratedFor).toContain('m');
    expect(readComparisonLr({ runId: 'r', ...fields })).toEqual(fields);
    expect(readLrWithheld({ runId: 'r', ...fields })).toBeNull();
    const none = comparisonLr(0.7, file, 'hr');
    expect(readComparisonLr({ ...none })).toBeNull();
    expect(readLrWithheld({ ...none })).toBe('no calibration for photo vs photo');
    expect(comparisonLr(0.7, null, 'hr')).toEqual(none);
    expect(readComparisonLr({ runId: 'r' })).toBeNull();
    expect(readLrWithheld({ runId: 'r' })).toBeNull();
    expect(formatLr(2)).toBe('LR 100 (log10 +2.00)');
    expect(formatLr(-1)).toBe('LR 1/10 (log10 -1.00)');
  });
  it("an SR calibration bound to a score model applies only to that model's candidates from its preset", () => {
    const cal = fitLrCalibration(genuine, impostor);
    const file = srCalibrationFile({
      calibration: cal,
      heldOut: [{ cllr: 0.6, cllrMin: 0.5 }],
      scoreModel: 'sr-ve-a, fast preset',
      scoreModelSha256: 'aaa',
      preset: 'fast',
    });
    const same = comparisonLr(0.6, file, 'sr16-candidate0', {
      modelId: 'sr-ve-a',
      modelSha256: 'aaa',
      preset: 'fast',
    });
    expect(readComparisonLr({ ...same })?.lrLog10).toBeCloseTo(log10Lr(0.6, cal), 3);
    const otherModel = comparisonLr(0.6, file, 'sr16-candidate0', {
      modelId: 'sr-ve-b',
      modelSha256: 'bbb',
      preset: 'fast',
    });
    expect(readComparisonLr({ ...otherModel })).toBeNull();
    expect(readLrWithheld({ ...otherModel })).toBe(
      'no calibration for these candidates (sr-ve-b, fast preset): the LR calibration was fitted on candidates of sr-ve-a, fast preset',
    );
    const otherPreset = comparisonLr(0.6, file, 'sr16-candidate0', {
      modelId: 'sr-ve-a',
      modelSha256: 'aaa',
      preset: 'sde-ve',
    });
    expect(readLrWithheld({ ...otherPreset })).toMatch(/sr-ve-a, sde-ve preset/);
    expect(readLrWithheld({ ...comparisonLr(0.6, file, 'sr16-candidate0') })).toMatch(/an unknown model/);
  });
});

/** A calibration file with only the one-candidate SR condition. */
function srCalibrationFile(
  shipped: LrCalibrationFile['conditions']['sr16-candidate0'] & object,
): LrCalibrationFile {
  return {
    embedder: 'x',
    embedderSha256: 'h',
    protocol: 'p',
    command: 'c',
    conditions: { 'sr16-candidate0': shipped },
  };
}
