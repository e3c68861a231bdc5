/**
 * Rank-1 identification (DESIGN.md section 4): each probe (an SR face) is compared by cosine similarity with a
 * gallery that holds a *different* photo of every identity; a hit is when the best-scoring gallery photo is the
 * probe's own identity.
 */
import { cosineSimilarity } from '../metrics/stats';

/** A gallery entry: one embedding per identity. */
export interface GalleryEntry {
  readonly identity: string;
  readonly embedding: Float32Array;
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
    const s = cosineSimilarity(probe, g.embedding);
    if (s > best) {
      best = s;
      bestId = g.identity;
    }
  }
  return { identity: bestId, score: best, hit: bestId === identity };
}
