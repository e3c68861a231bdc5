import type { RgbImage } from '../image/types';
import { warpAffine } from './warp';

/**
 * Where a C1 crop sits in an embedder's square input. A network trained on looser crops than C1 (more forehead,
 * cheeks and chin) sees the face smaller in its input: the crop is shrunk to `fill` of the side, centred, and
 * the border is filled with `pad` (RGB in [0,1]). SR candidates are C1 crops with nothing beyond them, so the
 * border cannot be real context for any input; a uniform colour treats references and candidates alike.
 */
export interface EmbedderFraming {
  /** Side of the placed crop over the input side, in (0, 2]; above 1 the crop's centre fills the input (zoom in). */
  readonly fill: number;
  readonly pad: readonly [number, number, number];
}

/** Validates a framing read from a manifest; returns an error message or null. */
export function framingError(f: EmbedderFraming): string | null {
  if (!(typeof f.fill === 'number' && f.fill > 0 && f.fill <= 2))
    return `framing.fill must be in (0, 2], got ${f.fill}`;
  if (!(
    Array.isArray(f.pad) &&
    f.pad.length === 3 &&
    f.pad.every((v) => typeof v === 'number' && v >= 0 && v <= 1)
  ))
    return 'framing.pad must be three numbers in [0, 1]';
  return null;
}

/**
 * The `size` x `size` embedder input for a square crop: resized (Keys cubic, antialiased) so that it spans
 * `fill` of the side, centred; beyond the crop the source is taken as the pad colour. Without a framing (or with
 * fill 1) this is the plain resize the embedders have always used.
 */
export function frameCrop(crop: RgbImage, size: number, framing?: EmbedderFraming): RgbImage {
  const fill = framing?.fill ?? 1;
  const s = (fill * size) / crop.width;
  const o = ((1 - fill) * size) / 2;
  if (fill === 1) return size === crop.width ? crop : warpAffine(crop, [s, 0, 0, 0, s, 0], size, size);
  // The crop on a pad-coloured canvas wide enough that every output pixel's kernel (Keys cubic, 2 px, stretched
  // by 1/s when shrinking) stays inside it: warpAffine never reaches its black beyond-the-image border.
  const margin = Math.max(0, Math.ceil(o / s)) + Math.ceil(2 / Math.min(s, 1)) + 1;
  const side = crop.width + 2 * margin;
  const data = new Float32Array(side * side * 3);
  const pad = framing!.pad;
  for (let i = 0; i < data.length; i++) data[i] = pad[i % 3]!;
  for (let y = 0; y < crop.height; y++)
    data.set(
      crop.data.subarray(y * crop.width * 3, (y + 1) * crop.width * 3),
      ((y + margin) * side + margin) * 3,
    );
  const t = o - s * margin;
  return warpAffine({ width: side, height: side, data }, [s, 0, t, 0, s, t], size, size);
}
