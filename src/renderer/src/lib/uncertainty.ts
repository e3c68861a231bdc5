/**
 * The per-pixel uncertainty map across candidates: at each pixel, the standard deviation of the candidates'
 * values (0-255 scale, averaged over R, G, B). Where candidates disagree the model was guessing; where they
 * agree the input constrained it. Pure functions over RGBA pixel arrays so they test without a DOM.
 */

/** RGBA pixels of one image, row-major, like ImageData. */
export interface Rgba {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/** The map: per-pixel std (0-255 scale) and its maximum, for the legend. */
export interface UncertaintyMap {
  readonly width: number;
  readonly height: number;
  readonly std: Float32Array;
  readonly max: number;
  readonly mean: number;
}

/** Per-pixel std across `images` (population std over candidates, mean over RGB). Needs at least 2 images. */
export function uncertaintyMap(images: readonly Rgba[]): UncertaintyMap {
  const [first] = images;
  if (!first || images.length < 2) throw new Error('An uncertainty map needs at least two candidates.');
  const { width, height } = first;
  for (const im of images) {
    if (im.width !== width || im.height !== height)
      throw new Error('All candidates must have the same size for an uncertainty map.');
  }
  const n = images.length;
  const std = new Float32Array(width * height);
  let max = 0;
  let sum = 0;
  for (let p = 0; p < width * height; p++) {
    let acc = 0;
    for (let c = 0; c < 3; c++) {
      let s = 0;
      let s2 = 0;
      for (const im of images) {
        const v = im.data[p * 4 + c] ?? 0;
        s += v;
        s2 += v * v;
      }
      const mean = s / n;
      acc += Math.sqrt(Math.max(0, s2 / n - mean * mean));
    }
    const v = acc / 3;
    std[p] = v;
    sum += v;
    if (v > max) max = v;
  }
  return { width, height, std, max, mean: sum / (width * height) };
}

/** Colours the map for display: dark (agree) through orange to yellow-white (disagree), scaled to `scaleMax`. */
export function colourise(map: UncertaintyMap, scaleMax = map.max): Rgba {
  const data = new Uint8ClampedArray(map.width * map.height * 4);
  const k = scaleMax > 0 ? 1 / scaleMax : 0;
  for (let p = 0; p < map.std.length; p++) {
    const t = Math.min(1, (map.std[p] ?? 0) * k);
    // A perceptually ordered "inferno"-like ramp with three linear pieces.
    data[p * 4] = 255 * Math.min(1, t * 1.6);
    data[p * 4 + 1] = 255 * Math.max(0, Math.min(1, (t - 0.35) * 1.6));
    data[p * 4 + 2] = 255 * (t < 0.3 ? t * 1.5 : Math.max(0, (t - 0.75) * 4));
    data[p * 4 + 3] = 255;
  }
  return { width: map.width, height: map.height, data };
}
