/**
 * A CSS width for a select that shows its longest option uncut (a file name, a run's title with its seed): the
 * text's length in `ch` (the width of "0", wider than most letters of a proportional font) plus room for the
 * chevron and the clear button; at least `minPx`, never wider than the row it sits in.
 */
export function selectWidth(
  labels: readonly (string | null | undefined)[],
  minPx: number,
  extraPx = 56,
): string {
  const n = Math.max(0, ...labels.map((l) => l?.length ?? 0));
  return `min(100%, max(${minPx}px, calc(${n}ch + ${extraPx}px)))`;
}
