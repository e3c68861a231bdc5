import type { Point } from '../image/types';

/**
 * A 2-D affine map [a, b, c, d, e, f]: x' = a·x + b·y + c, y' = d·x + e·y + f.
 * A similarity transform has d = -b and e = a (uniform scale s = sqrt(a² + b²), rotation atan2(-b, a)).
 */
export type Affine = readonly [number, number, number, number, number, number];

/** Applies an affine map to a point. */
export function applyAffine(m: Affine, p: Point): Point {
  return { x: m[0] * p.x + m[1] * p.y + m[2], y: m[3] * p.x + m[4] * p.y + m[5] };
}

/** Inverse of an affine map; throws if it is singular. */
export function invertAffine(m: Affine): Affine {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) throw new Error('affine map is singular');
  const ia = e / det;
  const ib = -b / det;
  const id = -d / det;
  const ie = a / det;
  return [ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f)];
}

/** Composition `outer ∘ inner` (apply `inner` first). */
export function composeAffine(outer: Affine, inner: Affine): Affine {
  const [a, b, c, d, e, f] = outer;
  const [p, q, r, s, t, u] = inner;
  return [a * p + b * s, a * q + b * t, a * r + b * u + c, d * p + e * s, d * q + e * t, d * r + e * u + f];
}

/** Uniform scale of a similarity transform (geometric mean of the axis scales for a general affine). */
export function affineScale(m: Affine): number {
  return Math.sqrt(Math.abs(m[0] * m[4] - m[1] * m[3]));
}

/**
 * Least-squares similarity transform (scale, rotation, translation; no reflection) taking `src[i]` to
 * `dst[i]`. In 2-D, Umeyama's (1991) SVD solution reduces to this closed form: with centred points x', y',
 * a = Σ(x'·y') / Σ|x'|², b = Σ(x' × y') / Σ|x'|², and the map y = [[a, -b], [b, a]]·x + t.
 * Two points give the exact similarity; more give the least-squares fit.
 */
export function estimateSimilarity(src: readonly Point[], dst: readonly Point[]): Affine {
  if (src.length !== dst.length) throw new Error('point lists differ in length');
  if (src.length < 2) throw new Error('a similarity transform needs at least two points');
  const n = src.length;
  let sx = 0;
  let sy = 0;
  let dx = 0;
  let dy = 0;
  for (let i = 0; i < n; i++) {
    sx += src[i]!.x;
    sy += src[i]!.y;
    dx += dst[i]!.x;
    dy += dst[i]!.y;
  }
  sx /= n;
  sy /= n;
  dx /= n;
  dy /= n;
  let norm = 0;
  let dot = 0;
  let cross = 0;
  for (let i = 0; i < n; i++) {
    const xu = src[i]!.x - sx;
    const xv = src[i]!.y - sy;
    const yu = dst[i]!.x - dx;
    const yv = dst[i]!.y - dy;
    norm += xu * xu + xv * xv;
    dot += xu * yu + xv * yv;
    cross += xu * yv - xv * yu;
  }
  if (!(norm > 1e-12)) throw new Error('points coincide; cannot estimate a similarity transform');
  const a = dot / norm;
  const b = cross / norm;
  return [a, -b, dx - (a * sx - b * sy), b, a, dy - (b * sx + a * sy)];
}

/** Root-mean-square distance between `m(src[i])` and `dst[i]`. */
export function rmsResidual(m: Affine, src: readonly Point[], dst: readonly Point[]): number {
  let sum = 0;
  for (let i = 0; i < src.length; i++) {
    const p = applyAffine(m, src[i]!);
    sum += (p.x - dst[i]!.x) ** 2 + (p.y - dst[i]!.y) ** 2;
  }
  return Math.sqrt(sum / src.length);
}
