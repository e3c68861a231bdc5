/**
 * Rank-1 identification (DESIGN.md section 4): each probe (an SR face) is compared by cosine similarity with a
 * gallery that holds a *different* photo of every identity; a hit is when the best-scoring gallery photo is the
 * probe's own identity.
 */

/** A gallery entry: one embedding per identity. */
export interface GalleryEntry {
  readonly identity: string;
  readonly embedding: Float32Array;
}

/** Cosine similarity of two vectors (float64 accumulation); 0 when either is all zeros. */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`cosine: vectors of length ${a.length} and ${b.length}.`);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  if (aa === 0 || bb === 0) return 0;
  return ab / Math.sqrt(aa * bb);
}

/** Result of matching one probe against the gallery. */
export interface Rank1Match {
  /** Identity of the best gallery entry (ties go to the earlier entry, so the result is deterministic). */
  readonly identity: string;
  readonly score: number;
  readonly hit: boolean;
}

/** Rank-1 match of one probe embedding of known identity against the gallery. */
export function rank1(probe: Float32Array, identity: string, gallery: readonly GalleryEntry[]): Rank1Match {
  if (gallery.length === 0) throw new Error('rank1: the gallery is empty.');
  if (!gallery.some((g) => g.identity === identity)) {
    throw new Error(`rank1: identity ${identity} has no photo in the gallery.`);
  }
  let best = -Infinity;
  let bestId = '';
  for (const g of gallery) {
    const s = cosine(probe, g.embedding);
    if (s > best) {
      best = s;
      bestId = g.identity;
    }
  }
  return { identity: bestId, score: best, hit: bestId === identity };
}
