/** Verification metrics from genuine and impostor score lists. */

/** ROC AUC = P(genuine > impostor) + ½·P(tie), by ranking (Mann–Whitney U). */
export function rocAuc(genuine: readonly number[], impostor: readonly number[]): number {
  const all = [...genuine.map((s) => ({ s, g: 1 })), ...impostor.map((s) => ({ s, g: 0 }))].sort(
    (a, b) => a.s - b.s,
  );
  let rankSumG = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j < all.length && all[j]!.s === all[i]!.s) j++;
    const avgRank = (i + 1 + j) / 2; // ranks i+1..j
    for (let k = i; k < j; k++) if (all[k]!.g) rankSumG += avgRank;
    i = j;
  }
  const nG = genuine.length;
  const nI = impostor.length;
  return (rankSumG - (nG * (nG + 1)) / 2) / (nG * nI);
}

/**
 * True accept rate at a false accept rate: the threshold is the smallest score that at most `far` of the
 * impostor scores exceed; TAR is the share of genuine scores above it.
 */
export function tarAtFar(genuine: readonly number[], impostor: readonly number[], far: number): number {
  const imp = [...impostor].sort((a, b) => b - a);
  const allowed = Math.floor(far * imp.length);
  const threshold = imp[allowed]!; // scores strictly above this are at most `allowed` impostors
  return genuine.filter((s) => s > threshold).length / genuine.length;
}
