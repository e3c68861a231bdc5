import { describe, expect, it } from 'vitest';
import { candidateMean } from '../../../src/core/image/candidate-mean';
import { consistency } from '../../../src/core/image/lr';
import type { RgbImage } from '../../../src/core/image/types';
import type { RunResult } from '../../../src/main/inference/run-executor';
import { runOutputImages } from '../../../src/main/inference/run-outputs';

const flat = (w: number, v: (i: number) => number): RgbImage => ({
  width: w,
  height: w,
  data: Float32Array.from({ length: w * w * 3 }, (_, i) => v(i)),
});

function result(k: number): RunResult {
  const candidates = Array.from({ length: k }, (_, c) => flat(128, (i) => ((i * 7 + c * 13) % 97) / 96));
  return {
    record: {} as RunResult['record'],
    candidates,
    bicubic: flat(128, () => 0.5),
    uncertainty: flat(128, () => 0.1),
    consistency: candidates.map(() => 1),
    meanStd: 0.02,
  };
}

describe('runOutputImages', () => {
  const lr = flat(16, (i) => (i % 5) / 4);

  it('adds the candidate mean, with its consistency, to a run of two or more candidates', () => {
    const r = result(3);
    const out = runOutputImages(r, lr);
    expect(out.map((o) => `${o.kind}${o.index}`)).toEqual([
      'candidate0',
      'candidate1',
      'candidate2',
      'bicubic0',
      'uncertainty0',
      'mean0',
    ]);
    const mean = out.find((o) => o.kind === 'mean')!;
    expect(mean.img.data).toEqual(candidateMean(r.candidates).data);
    expect(mean.metrics.consistency).toBeCloseTo(consistency(mean.img, lr), 10);
    expect(out.find((o) => o.kind === 'bicubic')!.metrics.consistency).toBeCloseTo(
      consistency(r.bicubic, lr),
      10,
    );
    expect(out.find((o) => o.kind === 'uncertainty')!.metrics).toEqual({ meanStd: 0.02 });
  });

  it('has no mean for a single candidate (it would only copy it)', () => {
    expect(runOutputImages(result(1), lr).some((o) => o.kind === 'mean')).toBe(false);
  });
});
