/**
 * Structural similarity (Wang et al. 2004) as DESIGN.md section 4: per RGB channel, Gaussian window 11 with
 * sigma 1.5, K1 = 0.01, K2 = 0.03, population (co)variances, mean over the positions where the whole window lies
 * inside the image, averaged over the channels (the same as scikit-image's `gaussian_weights=True`).
 */
import type { RgbImage } from '../image/types';
import { checkSameSize } from './psnr';

const RADIUS = 5;
const SIGMA = 1.5;
const K1 = 0.01;
const K2 = 0.03;

/** The normalised 11-tap Gaussian window (sigma 1.5). */
function gaussianWindow(): Float64Array {
  const w = new Float64Array(2 * RADIUS + 1);
  let sum = 0;
  for (let i = -RADIUS; i <= RADIUS; i++) {
    const v = Math.exp((-0.5 * i * i) / (SIGMA * SIGMA));
    w[i + RADIUS] = v;
    sum += v;
  }
  for (let i = 0; i < w.length; i++) w[i] = w[i]! / sum;
  return w;
}

/** Mean SSIM of two RGB images in [0,1] (dynamic range L = 1, the same as 255 on the 0-255 scale). */
export function ssim(a: RgbImage, b: RgbImage): number {
  checkSameSize(a, b, 'ssim');
  const { width: w, height: h } = a;
  const win = 2 * RADIUS + 1;
  if (w < win || h < win) throw new Error(`ssim: images must be at least ${win}x${win}, got ${w}x${h}.`);
  const g = gaussianWindow();
  const ow = w - 2 * RADIUS;
  const oh = h - 2 * RADIUS;
  const c1 = K1 * K1;
  const c2 = K2 * K2;
  // Horizontal pass of x, y, x^2, y^2, xy for one channel, then vertical pass at valid positions.
  const hx = new Float64Array(h * ow);
  const hy = new Float64Array(h * ow);
  const hxx = new Float64Array(h * ow);
  const hyy = new Float64Array(h * ow);
  const hxy = new Float64Array(h * ow);
  let total = 0;
  for (let ch = 0; ch < 3; ch++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < ow; x++) {
        let sx = 0;
        let sy = 0;
        let sxx = 0;
        let syy = 0;
        let sxy = 0;
        for (let k = 0; k < win; k++) {
          const p = (y * w + x + k) * 3 + ch;
          const u = a.data[p]!;
          const v = b.data[p]!;
          const gk = g[k]!;
          sx += gk * u;
          sy += gk * v;
          sxx += gk * u * u;
          syy += gk * v * v;
          sxy += gk * u * v;
        }
        const o = y * ow + x;
        hx[o] = sx;
        hy[o] = sy;
        hxx[o] = sxx;
        hyy[o] = syy;
        hxy[o] = sxy;
      }
    }
    let sum = 0;
    for (let y = 0; y < oh; y++) {
      for (let x = 0; x < ow; x++) {
        let mx = 0;
        let my = 0;
        let mxx = 0;
        let myy = 0;
        let mxy = 0;
        for (let k = 0; k < win; k++) {
          const o = (y + k) * ow + x;
          const gk = g[k]!;
          mx += gk * hx[o]!;
          my += gk * hy[o]!;
          mxx += gk * hxx[o]!;
          myy += gk * hyy[o]!;
          mxy += gk * hxy[o]!;
        }
        const vx = mxx - mx * mx;
        const vy = myy - my * my;
        const vxy = mxy - mx * my;
        sum += ((2 * mx * my + c1) * (2 * vxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
      }
    }
    total += sum / (ow * oh);
  }
  return total / 3;
}
