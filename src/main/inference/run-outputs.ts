/**
 * The images a finished run stores, in one list: the executor's candidates, bicubic and uncertainty map, and the
 * candidate mean derived here from the candidates' float pixels. The runs service stores this list and
 * `facet verify` rebuilds it from a re-run, so both derive the mean (and its metrics) the same way.
 */
import { candidateMean, MIN_CANDIDATES_FOR_MEAN } from '../../core/image/candidate-mean';
import { consistency } from '../../core/image/lr';
import type { RgbImage } from '../../core/image/types';
import type { RunOutput } from '../../shared/contract';
import type { RunResult } from './run-executor';

/** One output image before it is encoded and stored. */
export interface RunOutputImage {
  readonly kind: RunOutput['kind'];
  readonly index: number;
  readonly img: RgbImage;
  readonly metrics: Record<string, number>;
}

/** Every output of a run, in storage order; the mean only when there are at least two candidates. */
export function runOutputImages(result: RunResult, lr: RgbImage): RunOutputImage[] {
  const candidates = result.candidates.map((img, i): RunOutputImage => {
    const c = result.consistency[i];
    return { kind: 'candidate', index: i, img, metrics: c === undefined ? {} : { consistency: c } };
  });
  const spread: Record<string, number> = result.meanStd === undefined ? {} : { meanStd: result.meanStd };
  const out: RunOutputImage[] = [
    ...candidates,
    {
      kind: 'bicubic',
      index: 0,
      img: result.bicubic,
      metrics: { consistency: consistency(result.bicubic, lr) },
    },
    {
      kind: 'uncertainty',
      index: 0,
      img: result.uncertainty,
      metrics: spread,
    },
  ];
  if (result.candidates.length >= MIN_CANDIDATES_FOR_MEAN) {
    const mean = candidateMean(result.candidates);
    out.push({ kind: 'mean', index: 0, img: mean, metrics: { consistency: consistency(mean, lr) } });
  }
  return out;
}
