import { warpAffine } from '../../src/core/face/warp';
import type { RgbImage } from '../../src/core/image/types';

/** Pastes `image` scaled by `s` so that image point `c` lands at the canvas centre; the rest is mid-grey. */
export function pasteScaled(
  image: RgbImage,
  s: number,
  c: { x: number; y: number },
  canvas: number,
): RgbImage {
  const t = canvas / 2;
  const out = warpAffine(image, [s, 0, t - s * c.x, 0, s, t - s * c.y], canvas, canvas);
  // Pixels outside the pasted photo came back black; make them grey so the photo edge is not a hard frame.
  const x0 = t - s * c.x;
  const y0 = t - s * c.y;
  for (let v = 0; v < canvas; v++) {
    for (let u = 0; u < canvas; u++) {
      const inside = u >= x0 && u < x0 + s * image.width && v >= y0 && v < y0 + s * image.height;
      if (!inside) out.data.fill(0.5, (v * canvas + u) * 3, (v * canvas + u) * 3 + 3);
    }
  }
  return out;
}
