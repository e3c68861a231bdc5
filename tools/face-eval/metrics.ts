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
  const threshold = thresholdAtFar(impostor, far);
  return genuine.filter((s) => s > threshold).length / genuine.length;
}

/**
 * The score threshold at a false accept rate: the smallest impostor score that at most `far` of the impostor scores
 * exceed; scores strictly above it are accepted.
 */
export function thresholdAtFar(impostor: readonly number[], far: number): number {
  const imp = [...impostor].sort((a, b) => b - a);
  return imp[Math.floor(far * imp.length)]!;
}

/**
 * Exact two-sided McNemar test of two paired accept/reject lists (same genuine pairs, two systems): the
 * binomial(b + c, ½) probability of a split of the discordant pairs at least as uneven as the one seen.
 */
export function mcnemarExact(
  a: readonly boolean[],
  b: readonly boolean[],
): { onlyA: number; onlyB: number; p: number } {
  if (a.length !== b.length) throw new Error(`mcnemarExact: ${a.length} vs ${b.length} paired outcomes`);
  let onlyA = 0;
  let onlyB = 0;
  a.forEach((x, i) => {
    if (x && !b[i]) onlyA++;
    else if (!x && b[i]) onlyB++;
  });
  const n = onlyA + onlyB;
  const k = Math.min(onlyA, onlyB);
  // log C(n, i) by sums of logs: exact enough for the few hundred pairs this sees.
  let logC = 0;
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return { onlyA, onlyB, p: Math.min(1, 2 * tail) };
}
