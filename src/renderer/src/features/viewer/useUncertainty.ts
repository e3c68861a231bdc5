/** Computes the uncertainty map of a set of candidate images in the renderer (decode, std, colourise). */
import { useEffect, useState } from 'react';
import { decodePixels, encodePng } from '../../lib/pixels';
import { colourise, uncertaintyMap } from '../../lib/uncertainty';
// A fixed scale, as the stored maps use, so that maps compare and the legend holds.
import { UNCERTAINTY_WHITE_LEVELS } from '../../../../shared/uncertainty';

/** The coloured map as a PNG URL with its mean and maximum std (0-255 scale). */
export interface UncertaintyResult {
  readonly src: string;
  readonly mean: number;
  readonly max: number;
}

/** The map for the current candidates: null while computing or with fewer than 2, an Error if decoding failed. */
export function useUncertainty(srcs: readonly string[]): UncertaintyResult | null | Error {
  const [state, setState] = useState<{ key: string; value: UncertaintyResult | Error } | null>(null);
  const key = srcs.join('\n');
  useEffect(() => {
    const list = key === '' ? [] : key.split('\n');
    if (list.length < 2) return;
    let live = true;
    Promise.all(list.map(decodePixels))
      .then((pixels) => {
        const map = uncertaintyMap(pixels);
        return { src: encodePng(colourise(map, UNCERTAINTY_WHITE_LEVELS)), mean: map.mean, max: map.max };
      })
      .then(
        (value) => live && setState({ key, value }),
        (e: Error) => live && setState({ key, value: e }),
      );
    return () => {
      live = false;
    };
  }, [key]);
  return state?.key === key ? state.value : null;
}
